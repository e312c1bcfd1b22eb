/**
 * The Log of an engine worker thread: records at or above the configured level are posted to the
 * main thread, which writes them with its own logger (one log stream, one format). Bindings of
 * child loggers travel with each record; errors are flattened (they do not clone with their stack).
 */
import type { Log, LogFn } from '../../util/logger';
import { LOG_LEVELS, type FromWorker, type LogLevelName, type RecordLevel } from './thread-protocol';

type Post = (m: FromWorker) => void;

function cloneable(obj: object): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) {
    out[k] = v instanceof Error ? { name: v.name, message: v.message, stack: v.stack } : v;
  }
  return out;
}

export function postingLog(post: Post, level: LogLevelName, bindings: Record<string, unknown> = {}): Log {
  const threshold = LOG_LEVELS.indexOf(level);
  const fn = (l: RecordLevel): LogFn => {
    if (LOG_LEVELS.indexOf(l) < threshold) return () => undefined;
    return (a: object | string, b?: string) => {
      const own = typeof a === 'string' ? {} : cloneable(a);
      const msg = typeof a === 'string' ? a : (b ?? '');
      // Object.assign, not `{ ...bindings, ...own }`: keys added after a leading spread give every
      // object its own V8 hidden class.
      post({ type: 'log', level: l, obj: Object.assign({}, bindings, own), msg });
    };
  };
  return {
    trace: fn('trace'),
    debug: fn('debug'),
    info: fn('info'),
    warn: fn('warn'),
    error: fn('error'),
    fatal: fn('fatal'),
    child: (more) => postingLog(post, level, Object.assign({}, bindings, more)),
  };
}
