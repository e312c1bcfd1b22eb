/**
 * The structured-logging surface every layer may depend on. lib/observe provides the pino-backed
 * implementation; lower layers take a Log so they never import the logging library directly.
 */
export interface LogFn {
  (obj: object, msg?: string): void;
  (msg: string): void;
}

export interface Log {
  trace: LogFn;
  debug: LogFn;
  info: LogFn;
  warn: LogFn;
  error: LogFn;
  fatal: LogFn;
  child(bindings: Record<string, unknown>): Log;
  /** Whether records of `level` are written (pino's; absent: assume they are). */
  isLevelEnabled?(level: LogLevelName): boolean;
}

export type LogLevelName = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal';

const noop: LogFn = () => undefined;

/** A Log that drops everything: for unit tests and library use without a logger. */
export const silentLog: Log = {
  trace: noop,
  debug: noop,
  info: noop,
  warn: noop,
  error: noop,
  fatal: noop,
  child: () => silentLog,
};
