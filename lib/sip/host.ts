/** host = hostname / IPv4address / IPv6reference; port (RFC 3261 §25.1, RFC 5118 §4). */
import { HOST, scanIn } from './chars';
import { syntaxError } from './errors';

const IPV6_CHARS = /^[0-9A-Fa-f:.]+$/;

/**
 * Index just past the host starting at s[i]. An IPv6 reference keeps its brackets; everything
 * inside them is address (RFC 5118 §4.4: a trailing ":5070" inside the brackets is not a port).
 * The RFC 3261 ABNF's three-colon form (RFC 5118 §4.10) is tolerated.
 */
export function scanHost(s: string, i: number): number {
  if (s.charCodeAt(i) === 91) {
    const close = s.indexOf(']', i);
    if (close < 0) throw syntaxError('unterminated IPv6 reference', 'SIP_BAD_URI');
    const inner = s.slice(i + 1, close);
    if (!IPV6_CHARS.test(inner) || !inner.includes(':')) {
      throw syntaxError(`bad IPv6 reference [${inner}]`, 'SIP_BAD_URI');
    }
    return close + 1;
  }
  const end = scanIn(HOST, s, i);
  if (end === i) throw syntaxError('missing host', 'SIP_BAD_URI');
  const c = s.charCodeAt(i);
  if (c === 45 || c === 46) throw syntaxError(`bad host "${s.slice(i, end)}"`, 'SIP_BAD_URI');
  return end;
}

/** Read `1*DIGIT` as a port (0–65535) from s[i, end). */
export function readPort(s: string, i: number, end: number): number {
  if (end <= i || end - i > 5) throw syntaxError('bad port', 'SIP_BAD_URI');
  let port = 0;
  for (let j = i; j < end; j++) {
    const c = s.charCodeAt(j);
    if (c < 48 || c > 57) throw syntaxError(`bad port "${s.slice(i, end)}"`, 'SIP_BAD_URI');
    port = port * 10 + (c - 48);
  }
  if (port > 65535) throw syntaxError(`port out of range ${port}`, 'SIP_BAD_URI');
  return port;
}

/** Validate a whole host string (no port). */
export function isHost(s: string): boolean {
  try {
    return scanHost(s, 0) === s.length;
  } catch {
    return false;
  }
}
