/** %HH escaping of URI components (RFC 3261 §19.1.2, §25.1 "escaped") and UTF-8 helpers. */

function hex(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 65 && c <= 70) return c - 55;
  if (c >= 97 && c <= 102) return c - 87;
  return -1;
}

/**
 * Decode %HH escapes exactly once; the bytes are read as UTF-8. Invalid escapes ("%ZK") stay
 * literal. NUL is kept (no C-string semantics).
 */
export function unescape(s: string): string {
  if (!s.includes('%')) return s;
  const bytes: number[] = [];
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 37 && i + 2 < s.length) {
      const h = hex(s.charCodeAt(i + 1));
      const l = hex(s.charCodeAt(i + 2));
      if (h >= 0 && l >= 0) {
        bytes.push(h * 16 + l);
        i += 2;
        continue;
      }
    }
    if (c < 128) bytes.push(c);
    else for (const b of Buffer.from(s.charAt(i), 'utf8')) bytes.push(b);
  }
  return Buffer.from(bytes).toString('utf8');
}

/** Escape every char of s that is not in the allowed table (as UTF-8 bytes). */
export function escape(s: string, allowed: Uint8Array): string {
  let out = '';
  for (const b of Buffer.from(s, 'utf8')) {
    if (b < 128 && b !== 37 && allowed[b] === 1) out += String.fromCharCode(b);
    else out += '%' + (b < 16 ? '0' : '') + b.toString(16).toUpperCase();
  }
  return out;
}

const HIGH = /[\x80-\xff]/;

/** The header section is decoded as latin1 (1 char = 1 byte); re-read non-ASCII runs as UTF-8. */
export function latin1ToUtf8(s: string): string {
  return HIGH.test(s) ? Buffer.from(s, 'latin1').toString('utf8') : s;
}
