/**
 * `palisade start`: run the SBC (embedded engine unless configured otherwise, the B2BUA app,
 * media and state) until SIGTERM/SIGINT, then shut down cleanly within a bounded time.
 */
import { ConfigError, loadConfig, pinEnvironment, redactConfig } from '../../config';
import { toError } from '../../util/errors';
import { createLogger } from '../../observe/logger';
import { governHeapGrowth } from '../../observe/heap-growth';
import { parseCommandArgs, stringOption, type OptionSpec } from '../args';
import { buildInfo } from '../build-info';
import { startRuntime, type Runtime } from '../runtime';
import { EXIT_FAILURE, EXIT_OK, UsageError } from '../usage-error';
import type { CommandIo } from './command';

export const START_HELP = `Usage: palisade start [--config FILE]

Runs the SBC. Without --config, PALISADE_CONFIG names the file; without either, the built-in
quick-start configuration is used (embedded engine, in-memory state, local rtpengine).
PALISADE_* environment variables override file values (see docs/configuration.md).

Options:
  -c, --config FILE   configuration file (YAML)
  -h, --help          show this help

On SIGTERM or SIGINT it drains first: not ready at once, new calls refused with 503, calls up
allowed to finish for shutdown.drainSeconds (then ended), then stops cleanly (a second signal
forces exit). 'palisade drain' starts the same drain from outside.`;

const OPTIONS: OptionSpec = { config: { type: 'string', short: 'c' } };
const SHUTDOWN_DEADLINE_MS = 15_000;

function banner(runtime: Runtime, io: CommandIo): void {
  io.err('palisade is running');
  for (const l of runtime.sipListeners) io.err(`  SIP      ${l}`);
  io.err(
    `  metrics  ${runtime.opsUrl}/metrics   (liveness ${runtime.opsUrl}/health, readiness ${runtime.opsUrl}/ready)`,
  );
  io.err(`  engine   control ${runtime.controlAddress}`);
}

export async function startCommand(argv: readonly string[], io: CommandIo): Promise<number> {
  const args = parseCommandArgs('start', argv, OPTIONS, 0);
  if (args.values.help) {
    io.out(START_HELP);
    return EXIT_OK;
  }
  const file = stringOption(args, 'config');
  let config;
  try {
    config = loadConfig(file === undefined ? {} : { file });
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    if (e.code === 'CONFIG_FILE') throw new UsageError(`start: ${e.message}`);
    io.err('palisade: invalid configuration, not starting');
    for (const issue of e.issues) io.err(`  ${issue.path}: ${issue.message}`);
    return EXIT_FAILURE;
  }
  pinEnvironment();
  const log = createLogger({ level: config.log.level, instanceId: config.instance.id });
  log.info({ config: redactConfig(config) }, 'starting');
  let runtime: Runtime;
  try {
    runtime = await startRuntime(config, { log, build: buildInfo() });
  } catch (e) {
    log.fatal({ err: toError(e) }, 'start-up failed');
    io.err(`palisade: start-up failed: ${toError(e).message}`);
    log.flush();
    return EXIT_FAILURE;
  }
  banner(runtime, io);
  const heapGrowth = governHeapGrowth({ ...config.instance.heapGrowth, log });
  return new Promise<number>((resolve) => {
    let stopping = false;
    const stop = (): void => {
      if (stopping) return;
      stopping = true;
      log.info('shutting down');
      const force = setTimeout(() => {
        log.error('shutdown deadline exceeded, exiting');
        log.flush();
        process.exit(EXIT_FAILURE);
      }, SHUTDOWN_DEADLINE_MS);
      force.unref();
      heapGrowth.stop();
      void runtime.stop().then(() => {
        clearTimeout(force);
        log.info('stopped');
        log.flush();
        resolve(EXIT_OK);
      });
    };
    // However the drain was started (signal, `palisade drain`, POST /admin/drain), exit after it.
    void runtime.drain.finished.then(stop);
    let signalled = false;
    const onSignal = (signal: NodeJS.Signals): void => {
      if (signalled) {
        io.err(`palisade: second ${signal}, exiting now`);
        process.exit(EXIT_FAILURE);
      }
      signalled = true;
      log.info({ signal }, 'draining before shutdown');
      const status = runtime.drain.start();
      const force = setTimeout(
        () => {
          log.error('drain did not finish in time, exiting');
          log.flush();
          process.exit(EXIT_FAILURE);
        },
        (status.secondsLeft ?? 0) * 1000 + 2 * SHUTDOWN_DEADLINE_MS,
      );
      force.unref();
    };
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
  });
}
