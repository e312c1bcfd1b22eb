/**
 * Just enough header reading for framing: the start line shape (RFC 3261 §7.1, §7.2) and the
 * Content-Length value (§20.14, compact form `l`, §7.3.3). Full parsing is the message parser's
 * job; this never interprets anything else.
 */
import { err, ok, type Result } from '../../util/result';
import { TransportError } from './errors';

// token = 1*(alphanum / "-" / "." / "!" / "%" / "*" / "_" / "+" / "`" / "'" / "~")  (§25.1)
const TOKEN_PUNCT = "-.!%*_+`'~";

export function isTokenByte(b: number): boolean {
  return (
    (b >= 0x30 && b <= 0x39) ||
    (b >= 0x41 && b <= 0x5a) ||
    (b >= 0x61 && b <= 0x7a) ||
    TOKEN_PUNCT.includes(String.fromCharCode(b))
  );
}

const REQUEST_LINE = /^[A-Za-z0-9.!%*_+`'~-]+ [^ ]+ SIP\/2\.0$/i;
const STATUS_LINE = /^SIP\/2\.0 [1-6]\d\d(?: .*)?$/i;

export function isStartLine(line: string): boolean {
  return REQUEST_LINE.test(line) || STATUS_LINE.test(line);
}

/**
 * Content-Length from a header section (start line included, final CRLFCRLF excluded).
 * Missing, malformed, conflicting or oversized values are errors on a stream (§18.3).
 */
export function parseContentLength(header: string, maxBodyBytes: number): Result<number, TransportError> {
  const unfolded = header.replace(/\r\n[ \t]+/g, ' ');
  let found: string | undefined;
  for (const line of unfolded.split('\r\n').slice(1)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    if (name !== 'content-length' && name !== 'l') continue;
    const value = line.slice(colon + 1).trim();
    if (!/^\d+$/.test(value)) return err(invalid(`Content-Length "${value.slice(0, 32)}" is not a number`));
    const normalised = value.replace(/^0+(?=\d)/, '');
    if (found !== undefined && found !== normalised)
      return err(invalid('conflicting Content-Length headers'));
    found = normalised;
  }
  if (found === undefined) {
    return err(
      new TransportError('TRANSPORT_CONTENT_LENGTH_MISSING', 'no Content-Length on a stream transport'),
    );
  }
  const length = found.length > 12 ? Infinity : Number(found);
  if (length > maxBodyBytes) {
    return err(
      new TransportError('TRANSPORT_BODY_TOO_LARGE', `Content-Length ${found} exceeds ${maxBodyBytes} bytes`),
    );
  }
  return ok(length);
}

function invalid(message: string): TransportError {
  return new TransportError('TRANSPORT_CONTENT_LENGTH_INVALID', message);
}
