/**
 * `palisade engine` settings: drachtio-server's flag names layered over an optional Palisade
 * config file (sip.listen, sip.timers, sip.limits, engine.control, log.level). Flags win.
 */
import { ConfigError, loadConfig, type Config } from '../config';
import type { EngineOptions } from '../engine/embedded-engine';
import type { RequestHandlerConfig } from '../engine/handlers/request-handlers';
import type { LogLevel } from '../observe/logger';
import { stringOption, type ParsedArgs } from './args';
import { contactsToListeners } from './engine-contacts';
import { UsageError } from './usage-error';
import { toTransportListeners } from './wire-listeners';

export const DEFAULT_ENGINE_PORT = 9022;

/** drachtio-server's log levels, and pino's own names. */
const LEVELS: Record<string, LogLevel> = {
  error: 'error',
  warning: 'warn',
  warn: 'warn',
  notice: 'info',
  info: 'info',
  debug: 'debug',
  trace: 'trace',
  fatal: 'fatal',
  silent: 'silent',
};

export type EngineSettings = Omit<EngineOptions, 'log'> & { logLevel: LogLevel };

function portOf(v: string, flag: string): number {
  if (!/^\d{1,5}$/.test(v) || Number(v) > 65535) throw new UsageError(`engine: ${flag} '${v}' is not a port`);
  return Number(v);
}

function strings(args: ParsedArgs, name: string): string[] {
  const v = args.values[name];
  return Array.isArray(v) ? v.filter((s): s is string => typeof s === 'string') : [];
}

/** Throws ConfigError for an invalid config file, UsageError for bad flags. */
export function engineSettings(args: ParsedArgs): EngineSettings {
  const file = stringOption(args, 'config');
  let config: Config | undefined;
  if (file !== undefined) {
    config = loadConfig({ file });
    if (config.engine.mode !== 'embedded')
      throw new ConfigError('CONFIG_INVALID', [
        { path: 'engine.mode', message: 'must be "embedded" for palisade engine' },
      ]);
  }
  const control = config?.engine.mode === 'embedded' ? config.engine.control : undefined;
  const secret = stringOption(args, 'secret') ?? control?.secret;
  if (secret === undefined || secret === '')
    throw new UsageError('engine: --secret is required (or --config)');
  const port = stringOption(args, 'port');
  const level = stringOption(args, 'loglevel');
  const logLevel = level === undefined ? (config?.log.level ?? 'info') : LEVELS[level.toLowerCase()];
  if (logLevel === undefined)
    throw new UsageError(
      `engine: --loglevel '${level ?? ''}' is not one of ${Object.keys(LEVELS).join(', ')}`,
    );
  const contacts = strings(args, 'contact');
  const cert = stringOption(args, 'tls-cert-file');
  const key = stringOption(args, 'tls-key-file');
  const externalIp = stringOption(args, 'external-ip');
  const listeners =
    contacts.length || !config
      ? contactsToListeners(contacts.length ? contacts : ['sip:*:5060'], {
          externalIp,
          tls: cert !== undefined && key !== undefined ? { cert, key } : undefined,
        })
      : toTransportListeners(config.sip.listen).map((l) =>
          externalIp === undefined ? l : { ...l, advertise: externalIp },
        );
  const handler = stringOption(args, 'http-handler');
  const httpMethod = (stringOption(args, 'http-method') ?? 'GET').toUpperCase();
  if (httpMethod !== 'GET' && httpMethod !== 'POST')
    throw new UsageError(`engine: --http-method must be GET or POST`);
  const requestHandlers: RequestHandlerConfig[] =
    handler === undefined ? [] : [{ method: '*', url: handler, httpMethod }];
  return {
    control: {
      address: stringOption(args, 'address') ?? control?.address ?? '127.0.0.1',
      port: port === undefined ? (control?.port ?? DEFAULT_ENGINE_PORT) : portOf(port, '--port'),
      secret,
      ...(control?.tls === undefined ? {} : { tls: control.tls }),
    },
    listeners,
    requestHandlers,
    logLevel,
    ...(config
      ? { timers: config.sip.timers, limits: config.sip.limits, traceSipMessages: config.log.sipMessages }
      : {}),
    ...(config?.engine.mode === 'embedded' ? { sessionTimer: config.engine.sessionTimer } : {}),
  };
}
