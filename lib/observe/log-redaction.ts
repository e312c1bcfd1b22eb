/**
 * Secrets never reach the log: a value under a secret-bearing key is replaced by a censor wherever
 * the key appears in a logged object or a child logger's bindings, down to four levels (a key at
 * the top, or inside up to three nested objects or arrays).
 *
 * Not pino's `redact` option: that needs wildcard-first paths (`*.key`, `*.*.key`) for "anywhere",
 * and with one of those pino runs @pinojs/redact's select-clone-and-traverse on every property of
 * every record and every binding — ≈ 100 KiB of garbage and a fifth of the B2BUA thread's
 * allocations per call at log level info (CDR line and call loggers). This walk only reads keys;
 * it copies nothing unless it meets a secret, and then only the objects on the way to it, so the
 * caller's object is never changed.
 */

export const REDACTED_KEYS: ReadonlySet<string> = new Set([
  'password',
  'secret',
  'key',
  'passwordFile',
  'authorization',
]);
export const LOG_CENSOR = '[redacted]';
/** Levels of nesting searched below the top-level keys (`*.*.*.key` as a redact path). */
const MAX_NESTING = 3;

/**
 * Plain objects and arrays are searched; class instances (Errors, Buffers, Dates, Maps) are left
 * to their serializers — copying one into a plain object would lose what makes it one.
 */
function searchable(value: unknown): value is Record<string, unknown> | unknown[] {
  if (value === null || typeof value !== 'object') return false;
  if (Array.isArray(value)) return true;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function redactArray(items: unknown[], nesting: number): unknown[] {
  let copy: unknown[] | undefined;
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    const next = redactAt(item, nesting + 1);
    if (next === item) continue;
    copy ??= items.slice();
    copy[i] = next;
  }
  return copy ?? items;
}

function redactObject(object: Record<string, unknown>, nesting: number): Record<string, unknown> {
  let copy: Record<string, unknown> | undefined;
  for (const key in object) {
    if (!Object.prototype.hasOwnProperty.call(object, key)) continue;
    const child = object[key];
    const next = REDACTED_KEYS.has(key) && child !== undefined ? LOG_CENSOR : redactAt(child, nesting + 1);
    if (next === child) continue;
    copy ??= Object.assign(Object.create(Object.getPrototypeOf(object) as object | null) as object, object);
    copy[key] = next;
  }
  return copy ?? object;
}

function redactAt(value: unknown, nesting: number): unknown {
  if (nesting > MAX_NESTING || !searchable(value)) return value;
  return Array.isArray(value) ? redactArray(value, nesting) : redactObject(value, nesting);
}

/** `record` itself when it holds no secret, else a copy with every secret censored. */
export function redactSecrets<T extends object>(record: T): T {
  return redactAt(record, 0) as T;
}
