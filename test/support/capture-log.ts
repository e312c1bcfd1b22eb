/** A Log that keeps every line (level, merged child bindings, object, message) for assertions. */
import type { Log, LogFn } from '../../lib/util/logger';

export interface LogLine {
  level: 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal';
  msg: string;
  fields: Record<string, unknown>;
}

export interface CapturingLog {
  log: Log;
  lines: LogLine[];
}

export function capturingLog(): CapturingLog {
  const lines: LogLine[] = [];
  const make = (bindings: Record<string, unknown>): Log => {
    const at =
      (level: LogLine['level']): LogFn =>
      (a: object | string, b?: string) => {
        if (typeof a === 'string') lines.push({ level, msg: a, fields: { ...bindings } });
        else lines.push({ level, msg: b ?? '', fields: { ...bindings, ...(a as Record<string, unknown>) } });
      };
    return {
      trace: at('trace'),
      debug: at('debug'),
      info: at('info'),
      warn: at('warn'),
      error: at('error'),
      fatal: at('fatal'),
      child: (more) => make({ ...bindings, ...more }),
    };
  };
  return { log: make({}), lines };
}
