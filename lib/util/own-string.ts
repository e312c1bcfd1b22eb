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
