/**
 * A flat copy of `s` that keeps nothing else alive. V8 substrings of 13+ characters are slices
 * that keep their whole parent string (a parsed header block, a control frame) alive. Joining two
 * parts makes V8 build a new sequential string; `(' ' + s).slice(1)` would be a 32-byte slice of
 * a copy instead. Shorter strings are copied by V8 anyway.
 */
const SLICE_MIN = 13;

export function ownString(s: string): string {
  return s.length < SLICE_MIN ? s : [s.slice(0, 1), s.slice(1)].join('');
}

/**
 * Short values repeat across calls ('udp', '2.0', 'INVITE', 'network', a gateway's address): each
 * call's parse made its own copy (≈ 24–32 bytes each, a dozen per call). One shared copy each, for
 * the first INTERN_MAX distinct values: bounded, so unique short values (tags, ports) cannot grow it.
 */
const INTERN_MAX = 4096;
const internTable = new Map<string, string>();

export function interned(s: string): string {
  const shared = internTable.get(s);
  if (shared !== undefined) return shared;
  if (internTable.size < INTERN_MAX) internTable.set(s, s);
  return s;
}

const isPlainData = (v: unknown): v is Record<string, unknown> => {
  if (typeof v !== 'object' || v === null) return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === Array.prototype || proto === null;
};

/**
 * Own copies of the strings of long-lived objects, in place. Equal strings share one copy (two
 * dialogs of a call keep the same SDP, say).
 */
export class OwnStrings {
  private readonly copies = new Map<string, string>();

  of<T>(value: T): T {
    if (typeof value !== 'string') return value;
    if (value.length < SLICE_MIN) return interned(value) as T;
    let copy = this.copies.get(value);
    if (copy === undefined) {
      copy = ownString(value);
      this.copies.set(value, copy);
    }
    return copy as T;
  }

  /** The string fields `names` (default: all own ones) of `o`, assigned (never deleted: no shape change). */
  fields(o: unknown, names?: readonly string[]): void {
    if (typeof o !== 'object' || o === null) return;
    const r = o as Record<string, unknown>;
    for (const name of names ?? Object.keys(r)) if (typeof r[name] === 'string') r[name] = this.of(r[name]);
  }

  /** Every string in `o` and the plain objects and arrays under it (class instances are left alone). */
  deep(o: unknown, seen = new Set<object>()): void {
    if (!isPlainData(o) || seen.has(o)) return;
    seen.add(o);
    for (const key of Object.keys(o)) {
      const v = o[key];
      if (typeof v === 'string') o[key] = this.of(v);
      else this.deep(v, seen);
    }
  }
}
