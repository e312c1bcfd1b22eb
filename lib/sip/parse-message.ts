/**
 * Message framing and header splitting (RFC 3261 §7, §7.3.1 folding, §7.5 leading CRLFs,
 * §18.3 Content-Length). Only what framing needs is parsed eagerly: the start line, header
 * names and Content-Length. Everything else is parsed on access (see message.ts).
 */
import { SipParseError, type MessageKind } from './errors';
import { HeaderList } from './header-list';
import { throwBadHeader, findHeaderEnd, splitHeaders } from './parse-head';
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
  if (startLine.length > limits.maxLineBytes) throwBadHeader('SIP_LINE_TOO_LONG', 'start line too long');
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
