/**
 * Header parameters `*( SEMI generic-param )`, generic-param = token [ EQUAL gen-value ],
 * gen-value = token / host / quoted-string (RFC 3261 §25.1). SEMI and EQUAL allow LWS around.
 * Keys are lower-cased (parameter names are case-insensitive, §7.3.1); values are kept raw
 * (quoted values keep their quotes, see unquote()); a parameter without value maps to null.
 */
import { GEN_VALUE, TOKEN, scanIn, skipWs } from './chars';
import { syntaxError } from './errors';
import { skipQuoted } from './quoted';

export type Params = Map<string, string | null>;

/**
 * Parse parameters from s[i] until end of string. s[i] must be ';' (or i === s.length).
 * Throws on empty parameters (";;") and bad characters.
 */
export function parseParams(s: string, i: number, into: Params = new Map()): Params {
  const n = s.length;
  i = skipWs(s, i);
  while (i < n) {
    if (s.charCodeAt(i) !== 59) throw syntaxError(`unexpected "${s.charAt(i)}" in parameters`);
    i = skipWs(s, i + 1);
    const nameEnd = scanIn(TOKEN, s, i);
    if (nameEnd === i) throw syntaxError('empty parameter');
    const name = s.slice(i, nameEnd).toLowerCase();
    i = skipWs(s, nameEnd);
    let value: string | null = null;
    if (i < n && s.charCodeAt(i) === 61) {
      i = skipWs(s, i + 1);
      const vStart = i;
      i = i < n && s.charCodeAt(i) === 34 ? skipQuoted(s, i) : scanIn(GEN_VALUE, s, i);
      if (i === vStart) throw syntaxError(`parameter ${name} has an empty value`);
      value = s.slice(vStart, i);
      i = skipWs(s, i);
    }
    into.set(name, value);
  }
  return into;
}

export function formatParams(params: ReadonlyMap<string, string | null>): string {
  let out = '';
  for (const [name, value] of params) out += value === null ? `;${name}` : `;${name}=${value}`;
  return out;
}
