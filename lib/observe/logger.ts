/**
 * pino JSON logger. Secrets never reach the log: known secret-bearing keys are redacted
 * wherever they appear in a logged object or a child's bindings (log-redaction.ts).
 */
import pino from 'pino';
import type { Log } from '../util/logger';
import { redactSecrets } from './log-redaction';

export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal' | 'silent';

export interface LoggerOptions {
  level: LogLevel;
  instanceId: string;
  /** Where JSON lines go; stdout by default. */
  destination?: NodeJS.WritableStream;
}

export interface PalisadeLogger extends Log {
  /** Write out anything buffered; called during shutdown. */
  flush(): void;
}

export function createLogger(options: LoggerOptions): PalisadeLogger {
  const destination = options.destination ?? pino.destination({ dest: 1, sync: false });
  const base = pino(
    {
      level: options.level,
      base: { instance: options.instanceId },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }), log: redactSecrets },
    },
    destination,
  );
  // pino formats only the root's bindings (`formatters.bindings`), not a child's: every child,
  // grandchildren included (they inherit this own property), gets its bindings redacted here
  const pinoChild: (this: object, bindings: pino.Bindings, options?: object) => unknown = Reflect.get(
    base,
    'child',
  );
  function redactedChild(this: object, bindings: pino.Bindings, childOptions?: object): unknown {
    return pinoChild.call(this, redactSecrets(bindings), childOptions);
  }
  Object.defineProperty(base, 'child', { value: redactedChild, writable: true, configurable: true });
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
