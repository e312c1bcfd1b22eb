/**
 * Character classes of the RFC 3261 §25.1 grammar as lookup tables (ASCII only; every byte
 * >= 0x80 is outside all of them) plus small scanning helpers shared by the header parsers.
 */
function table(extra: string): Uint8Array {
  const t = new Uint8Array(128);
  for (let c = 48; c <= 57; c++) t[c] = 1;
  for (let c = 65; c <= 90; c++) t[c] = 1;
  for (let c = 97; c <= 122; c++) t[c] = 1;
  for (let i = 0; i < extra.length; i++) t[extra.charCodeAt(i)] = 1;
  return t;
}

const MARK = "-_.!~*'()";
/** token (§25.1) */
export const TOKEN = table("-.!%*_+`'~");
/** user = 1*( unreserved / escaped / user-unreserved ) (§25.1) */
export const USER = table(MARK + '%&=+$,;?/');
/** password = *( unreserved / escaped / "&" / "=" / "+" / "$" / "," ) */
export const PASSWORD = table(MARK + '%&=+$,');
/** paramchar = param-unreserved / unreserved / escaped */
export const PARAM = table(MARK + '%[]/:&+$');
/** hname / hvalue characters of URI headers */
export const HNV = table(MARK + '%[]/?:+$');
/** hostname and IPv4 characters */
export const HOST = table('-.');
/** gen-value in a header parameter: token, host (incl. IPv6 reference) */
export const GEN_VALUE = table("-.!%*_+`'~:[]");
/** scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) */
export const SCHEME = table('+-.');

/** True when every char of s[from, to) is in the table. */
export function allIn(t: Uint8Array, s: string, from = 0, to = s.length): boolean {
  if (from >= to) return false;
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i);
    if (c > 127 || t[c] !== 1) return false;
  }
  return true;
}

/** Index of the first char at or after i that is not in the table. */
export function scanIn(t: Uint8Array, s: string, i: number): number {
  const n = s.length;
  while (i < n) {
    const c = s.charCodeAt(i);
    if (c > 127 || t[c] !== 1) break;
    i++;
  }
  return i;
}

/** Skip SP / HTAB (values are already unfolded, so LWS is just whitespace). */
export function skipWs(s: string, i: number): number {
  const n = s.length;
  while (i < n) {
    const c = s.charCodeAt(i);
    if (c !== 32 && c !== 9) break;
    i++;
  }
  return i;
}

export function isDigits(s: string): boolean {
  if (s.length === 0) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/** Trim SP / HTAB at both ends (not other whitespace: NUL and friends are data). */
export function trimWs(s: string): string {
  let a = 0;
  let b = s.length;
  while (a < b && (s.charCodeAt(a) === 32 || s.charCodeAt(a) === 9)) a++;
  while (b > a && (s.charCodeAt(b - 1) === 32 || s.charCodeAt(b - 1) === 9)) b--;
  return a === 0 && b === s.length ? s : s.slice(a, b);
}
