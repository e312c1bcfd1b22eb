/**
 * pino JSON logger. Secrets never reach the log: known secret-bearing keys are redacted
 * wherever they appear in a logged object.
 */
import pino from 'pino';
import type { Log } from '../util/logger';

export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal' | 'silent';

export interface LoggerOptions {
  level: LogLevel;
  instanceId: string;
  /** Where JSON lines go; stdout by default. */
  destination?: NodeJS.WritableStream;
}

export const REDACTED_KEYS = ['password', 'secret', 'key', 'passwordFile', 'authorization'] as const;

export interface PalisadeLogger extends Log {
  /** Write out anything buffered; called during shutdown. */
  flush(): void;
}

export function createLogger(options: LoggerOptions): PalisadeLogger {
  const redactPaths = REDACTED_KEYS.flatMap((k) => [k, `*.${k}`, `*.*.${k}`, `*.*.*.${k}`]);
  const destination = options.destination ?? pino.destination({ dest: 1, sync: false });
  const base = pino(
    {
      level: options.level,
      base: { instance: options.instanceId },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: redactPaths, censor: '[redacted]' },
    },
    destination,
  );
  const logger = base as unknown as PalisadeLogger;
  // pino's own flush, taken before ours replaces it on the same object (calling base.flush from
  // ours would call ours: a stack overflow for any destination without flushSync)
  const pinoFlush = base.flush.bind(base);
  return Object.assign(logger, {
    flush: () => {
      if ('flushSync' in destination && typeof destination.flushSync === 'function') destination.flushSync();
      else pinoFlush();
    },
  });
}
