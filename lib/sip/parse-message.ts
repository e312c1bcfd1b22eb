/**
 * Message framing and header splitting (RFC 3261 §7, §7.3.1 folding, §7.5 leading CRLFs,
 * §18.3 Content-Length). Only what framing needs is parsed eagerly: the start line, header
 * names and Content-Length. Everything else is parsed on access (see message.ts).
 */
import { TOKEN, allIn, trimWs } from './chars';
import { SipParseError, type MessageKind } from './errors';
import { HeaderEntry, HeaderList } from './header-list';
import { headerKey } from './header-names';
import { type SipLimits, resolveLimits } from './limits';
import { SipRequest, SipResponse } from './request';
import { salvageInfo } from './salvage';
import { readContentLength } from './scalars';
import { looksLikeResponse, parseStartLine } from './start-line';
import { type Result, err, ok } from '../util/result';

export interface ParseOptions {
  /** true for UDP: the buffer is one whole message, bytes past Content-Length are ignored */
  readonly datagram: boolean;
  readonly limits?: Partial<SipLimits>;
}

const CRLFCRLF = Buffer.from('\r\n\r\n', 'latin1');
const LFLF = Buffer.from('\n\n', 'latin1');
const LFCRLF = Buffer.from('\n\r\n', 'latin1');

export function parseMessage(
  buf: Buffer,
  opts: ParseOptions,
): Result<SipRequest | SipResponse, SipParseError> {
  const limits = resolveLimits(opts.limits);
  try {
    return ok(parse(buf, opts.datagram, limits));
  } catch (e) {
    if (!(e instanceof SipParseError)) throw e;
    return err(addContext(e, buf));
  }
}

function addContext(e: SipParseError, buf: Buffer): SipParseError {
  let base = 0;
  while (base < buf.length && (buf[base] === 13 || buf[base] === 10)) base++;
  const text = buf.toString('latin1', base, Math.min(buf.length, base + 65_536));
  const firstLine = text.slice(0, Math.max(0, text.indexOf('\n')));
  const kind: MessageKind = looksLikeResponse(firstLine)
    ? 'response'
    : firstLine.length > 0
      ? 'request'
      : 'unknown';
  return e.withContext(kind, kind === 'response' ? undefined : salvageInfo(text));
}

function fail(code: 'SIP_BAD_HEADER' | 'SIP_TOO_MANY_HEADERS' | 'SIP_LINE_TOO_LONG', what: string): never {
  throw new SipParseError(code, what, { sipStatus: 400 });
}

/** Locate the empty line: [end of header fields, start of body], or undefined. */
function findHeaderEnd(buf: Buffer, base: number): [number, number] | undefined {
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

function parse(buf: Buffer, datagram: boolean, limits: SipLimits): SipRequest | SipResponse {
  let base = 0;
  while (base < buf.length && (buf[base] === 13 || buf[base] === 10)) base++;
  if (buf.length - base > limits.maxMessageBytes) {
    throw new SipParseError('SIP_TOO_LARGE', `message exceeds ${limits.maxMessageBytes} bytes`, {
      sipStatus: 513,
    });
  }
  const ends = findHeaderEnd(buf, base);
  if (ends === undefined) {
    if (datagram)
      throw new SipParseError('SIP_NO_HEADER_END', 'header section not terminated', { sipStatus: 400 });
    throw new SipParseError('SIP_INCOMPLETE', 'header section incomplete');
  }
  const [headEnd, bodyStart] = ends;
  const head = buf.toString('latin1', base, headEnd);
  const nl = head.indexOf('\n');
  const startLine = head.slice(0, nl > 0 && head.charCodeAt(nl - 1) === 13 ? nl - 1 : nl);
  if (startLine.length > limits.maxLineBytes) fail('SIP_LINE_TOO_LONG', 'start line too long');
  const sl = parseStartLine(startLine);
  const entries = splitHeaders(head, nl + 1, limits);
  const hdrs = new HeaderList(head, entries);
  const cl = contentLength(hdrs);
  let end: number;
  if (cl === undefined) {
    end = datagram ? buf.length : bodyStart;
  } else {
    if (bodyStart - base + cl > limits.maxMessageBytes) {
      throw new SipParseError('SIP_TOO_LARGE', `Content-Length ${cl} too large`, { sipStatus: 513 });
    }
    end = bodyStart + cl;
    if (end > buf.length) {
      if (datagram) {
        throw new SipParseError('SIP_TRUNCATED_BODY', `Content-Length ${cl} exceeds datagram`, {
          sipStatus: 400,
        });
      }
      throw new SipParseError('SIP_INCOMPLETE', 'body incomplete');
    }
  }
  const raw = { src: buf, base, head, startLineEnd: nl + 1, bodyStart, end };
  return sl.kind === 'request'
    ? new SipRequest(raw, hdrs, cl, sl.method, sl.uri)
    : new SipResponse(raw, hdrs, cl, sl.status, sl.reason);
}

function splitHeaders(head: string, pos: number, limits: SipLimits): HeaderEntry[] {
  const entries: HeaderEntry[] = [];
  let current: HeaderEntry | undefined;
  const n = head.length;
  while (pos < n) {
    let lineEnd = head.indexOf('\n', pos) + 1;
    if (lineEnd === 0) lineEnd = n;
    if (lineEnd - pos > limits.maxLineBytes) fail('SIP_LINE_TOO_LONG', 'header line too long');
    const c = head.charCodeAt(pos);
    if (c === 32 || c === 9) {
      if (current === undefined) fail('SIP_BAD_HEADER', 'continuation line before first header');
      current.end = lineEnd;
      current.folded = true;
    } else {
      const colon = head.indexOf(':', pos);
      if (colon < 0 || colon >= lineEnd) fail('SIP_BAD_HEADER', 'header line without ":"');
      const name = trimWs(head.slice(pos, colon));
      if (!allIn(TOKEN, name)) fail('SIP_BAD_HEADER', `bad header name "${name}"`);
      if (entries.length >= limits.maxHeaders) fail('SIP_TOO_MANY_HEADERS', 'too many header fields');
      current = new HeaderEntry(headerKey(name), name, pos, lineEnd, colon + 1, false);
      entries.push(current);
    }
    pos = lineEnd;
  }
  return entries;
}

/** Declared Content-Length; repeated fields must agree (RFC 4475 §3.3.10). */
function contentLength(hdrs: HeaderList): number | undefined {
  let cl: number | undefined;
  for (const e of hdrs.entries) {
    if (e.key !== 'content-length') continue;
    const v = readContentLength(hdrs.valueOf(e));
    if (v === undefined || (cl !== undefined && v !== cl)) {
      throw new SipParseError('SIP_BAD_CONTENT_LENGTH', 'bad Content-Length', { sipStatus: 400 });
    }
    cl = v;
  }
  return cl;
}
