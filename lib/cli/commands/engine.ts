/**
 * `palisade engine`: Palisade's SIP engine alone, as a drop-in for drachtio-server (same option
 * names), for unmodified drachtio-srf apps. Runs until SIGTERM/SIGINT, then closes cleanly.
 */
import { ConfigError } from '../../config';
import { createLogger } from '../../observe/logger';
import { startEngine, type Engine } from '../../engine/embedded-engine';
import { toError } from '../../util/errors';
import { parseCommandArgs, type OptionSpec } from '../args';
import { engineSettings } from '../engine-settings';
import { EXIT_FAILURE, EXIT_OK, UsageError } from '../usage-error';
import type { CommandIo } from './command';

export const ENGINE_HELP = `Usage: palisade engine [options]

Runs only the SIP engine, a drop-in for drachtio-server: drachtio-srf apps connect to the control
port (srf.connect) or are reached through request handlers (srf.listen).

Options (drachtio-server names):
  --port PORT            control port (default 9022)
  --address IP           control address (default 127.0.0.1)
  --secret SECRET        shared secret apps authenticate with (required unless in --config)
  --contact URI          SIP listener, repeatable: sip:IP[:PORT][;transport=udp|tcp|tls|ws|wss]
                         (no transport: udp and tcp; default sip:*:5060)
  --external-ip IP       public address advertised for every contact
  --tls-cert-file FILE   certificate for tls/wss contacts
  --tls-key-file FILE    private key for tls/wss contacts
  --http-handler URL     request handler for every method: http(s) URL, tcp://h:p or tls://h:p
  --http-method METHOD   GET (default) or POST for --http-handler
  --loglevel LEVEL       error, warning, notice, info or debug (default info)
  -c, --config FILE      Palisade config file: sip.listen, sip.timers, sip.limits, engine.control,
                         log.level (flags override it)
  -h, --help             show this help

Stops cleanly on SIGTERM or SIGINT.`;

const OPTIONS: OptionSpec = {
  port: { type: 'string' },
  address: { type: 'string' },
  secret: { type: 'string' },
  contact: { type: 'string', multiple: true },
  'external-ip': { type: 'string' },
  'tls-cert-file': { type: 'string' },
  'tls-key-file': { type: 'string' },
  'http-handler': { type: 'string' },
  'http-method': { type: 'string' },
  loglevel: { type: 'string' },
  config: { type: 'string', short: 'c' },
};

const SHUTDOWN_DEADLINE_MS = 10_000;

export async function engineCommand(argv: readonly string[], io: CommandIo): Promise<number> {
  const args = parseCommandArgs('engine', argv, OPTIONS, 0);
  if (args.values.help) {
    io.out(ENGINE_HELP);
    return EXIT_OK;
  }
  let settings;
  try {
    settings = engineSettings(args);
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    if (e.code === 'CONFIG_FILE') throw new UsageError(`engine: ${e.message}`);
    io.err('palisade: invalid configuration, not starting');
    for (const issue of e.issues) io.err(`  ${issue.path}: ${issue.message}`);
    return EXIT_FAILURE;
  }
  const { logLevel, ...options } = settings;
  const log = createLogger({ level: logLevel, instanceId: 'engine' });
  let engine: Engine;
  try {
    engine = await startEngine({ ...options, log });
  } catch (e) {
    io.err(`palisade: engine start-up failed: ${toError(e).message}`);
    log.flush();
    return EXIT_FAILURE;
  }
  io.err('palisade engine is running');
  for (const l of engine.listeners) io.err(`  SIP      ${l.transport}:${l.address}:${l.port}`);
  io.err(`  control  ${engine.control.address}:${engine.control.port}`);
  if (engine.control.tlsPort !== undefined)
    io.err(`  control  tls ${engine.control.address}:${engine.control.tlsPort}`);
  return untilSignal(engine, log, io);
}

function untilSignal(engine: Engine, log: ReturnType<typeof createLogger>, io: CommandIo): Promise<number> {
  return new Promise<number>((resolve) => {
    let stopping = false;
    const onSignal = (signal: NodeJS.Signals): void => {
      if (stopping) {
        io.err(`palisade: second ${signal}, exiting now`);
        resolve(EXIT_FAILURE);
        return;
      }
      stopping = true;
      log.info({ signal }, 'engine shutting down');
      const force = setTimeout(() => {
        log.error('shutdown deadline exceeded');
        resolve(EXIT_FAILURE);
      }, SHUTDOWN_DEADLINE_MS);
      force.unref();
      void engine.close().then(() => {
        clearTimeout(force);
        log.info('engine stopped');
        log.flush();
        resolve(EXIT_OK);
      });
    };
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
  });
}
