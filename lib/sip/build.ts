/**
 * Build new messages from parts (requests a UA or B2BUA originates, ACK/CANCEL built by the
 * transaction layer). The text is rendered once and parsed back, so a built message behaves
 * exactly like a received one (lazy accessors, byte-preserving edits).
 */
import { parseMessage } from './parse-message';
import { SipParseError } from './errors';
import type { SipRequest, SipResponse } from './request';

export type HeaderField = readonly [name: string, value: string];

export interface RequestParts {
  method: string;
  uri: string;
  headers: readonly HeaderField[];
  body?: Buffer;
}

function render(startLine: string, headers: readonly HeaderField[], body: Buffer | undefined): Buffer {
  let head = `${startLine}\r\n`;
  for (const [name, value] of headers) {
    if (/^content-length$|^l$/i.test(name)) continue;
    head += `${name}: ${value}\r\n`;
  }
  head += `Content-Length: ${body?.length ?? 0}\r\n\r\n`;
  const headBuf = Buffer.from(head, 'utf8');
  return body?.length ? Buffer.concat([headBuf, body]) : headBuf;
}

function parseBuilt(buf: Buffer): SipRequest | SipResponse {
  const r = parseMessage(buf, { datagram: false, limits: { maxMessageBytes: 1_048_576 } });
  if (!r.ok) throw r.error;
  return r.value;
}

export function buildRequest(parts: RequestParts): SipRequest {
  const msg = parseBuilt(render(`${parts.method} ${parts.uri} SIP/2.0`, parts.headers, parts.body));
  if (msg.kind !== 'request') throw new SipParseError('SIP_BAD_START_LINE', 'built message is not a request');
  return msg;
}

export function buildResponse(
  status: number,
  reason: string,
  headers: readonly HeaderField[],
  body?: Buffer,
): SipResponse {
  const msg = parseBuilt(render(`SIP/2.0 ${status} ${reason}`, headers, body));
  if (msg.kind !== 'response')
    throw new SipParseError('SIP_BAD_START_LINE', 'built message is not a response');
  return msg;
}

/** Parse bytes we produced ourselves (e.g. a stateless response built as a Buffer). */
export function parseOwn(buf: Buffer): SipRequest | SipResponse {
  return parseBuilt(buf);
}
