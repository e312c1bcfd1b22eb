/**
 * The header section of a message (RFC 3261 §7.3.1): where it ends and its fields, names only
 * (values are decoded on access, header-list.ts). Used by the parser and to re-read a compacted
 * message's own bytes (message.ts).
 */
import { TOKEN, allIn, trimWs } from './chars';
import { SipParseError } from './errors';
import { HeaderEntry } from './header-list';
import { headerKey } from './header-names';
import type { SipLimits } from './limits';

const CRLFCRLF = Buffer.from('\r\n\r\n', 'latin1');
const LFLF = Buffer.from('\n\n', 'latin1');
const LFCRLF = Buffer.from('\n\r\n', 'latin1');

export function throwBadHeader(
  code: 'SIP_BAD_HEADER' | 'SIP_TOO_MANY_HEADERS' | 'SIP_LINE_TOO_LONG',
  what: string,
): never {
  throw new SipParseError(code, what, { sipStatus: 400 });
}

/** Locate the empty line: [end of header fields, start of body], or undefined. */
export function findHeaderEnd(buf: Buffer, base: number): [number, number] | undefined {
  const nl = buf.indexOf(10, base);
  if (nl < 0) return undefined;
  if (nl > base && buf[nl - 1] === 13) {
    const sep = buf.indexOf(CRLFCRLF, nl - 1);
    return sep < 0 ? undefined : [sep + 2, sep + 4];
  }
  // bare-LF message (tolerated, e.g. the RFC 5118 archive form)
  const a = buf.indexOf(LFLF, nl);
  const b = buf.indexOf(LFCRLF, nl);
  if (a < 0 && b < 0) return undefined;
  if (b < 0 || (a >= 0 && a < b)) return [a + 1, a + 2];
  return [b + 1, b + 3];
}

export function splitHeaders(
  head: string,
  pos: number,
  limits: Pick<SipLimits, 'maxLineBytes' | 'maxHeaders'>,
): HeaderEntry[] {
  const entries: HeaderEntry[] = [];
  let current: HeaderEntry | undefined;
  const n = head.length;
  while (pos < n) {
    let lineEnd = head.indexOf('\n', pos) + 1;
    if (lineEnd === 0) lineEnd = n;
    if (lineEnd - pos > limits.maxLineBytes) throwBadHeader('SIP_LINE_TOO_LONG', 'header line too long');
    const c = head.charCodeAt(pos);
    if (c === 32 || c === 9) {
      if (current === undefined) throwBadHeader('SIP_BAD_HEADER', 'continuation line before first header');
      current.end = lineEnd;
      current.folded = true;
    } else {
      const colon = head.indexOf(':', pos);
      if (colon < 0 || colon >= lineEnd) throwBadHeader('SIP_BAD_HEADER', 'header line without ":"');
      const name = trimWs(head.slice(pos, colon));
      if (!allIn(TOKEN, name)) throwBadHeader('SIP_BAD_HEADER', `bad header name "${name}"`);
      if (entries.length >= limits.maxHeaders)
        throwBadHeader('SIP_TOO_MANY_HEADERS', 'too many header fields');
      current = new HeaderEntry(headerKey(name), name, pos, lineEnd, colon + 1, false);
      entries.push(current);
    }
    pos = lineEnd;
  }
  return entries;
}
