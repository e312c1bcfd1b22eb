/**
 * Start lines (RFC 3261 §7.1, §7.2, §25.1):
 *   Request-Line = Method SP Request-URI SP SIP-Version CRLF   (exactly one SP each)
 *   Status-Line  = SIP-Version SP Status-Code SP Reason-Phrase CRLF
 * Only the request-line syntax is checked here; the Request-URI itself is parsed on demand.
 */
import { SCHEME, TOKEN, allIn } from './chars';
import { SipParseError } from './errors';
import { latin1ToUtf8 } from './escape';

export type StartLine =
  { kind: 'request'; method: string; uri: string } | { kind: 'response'; status: number; reason: string };

const VERSION = /^SIP\/(\d+)\.(\d+)$/i;

function checkVersion(v: string, kind: 'request' | 'response'): void {
  if (v.length === 7 && v.toUpperCase() === 'SIP/2.0') return;
  if (VERSION.test(v)) {
    throw new SipParseError('SIP_BAD_VERSION', `unsupported version ${v}`, { sipStatus: 505, kind });
  }
  throw new SipParseError('SIP_BAD_START_LINE', `bad SIP-Version "${v}"`, { sipStatus: 400, kind });
}

function bad(kind: 'request' | 'response', what: string): SipParseError {
  return new SipParseError('SIP_BAD_START_LINE', what, { sipStatus: 400, kind });
}

/** True when the (latin1) first line is a Status-Line rather than a Request-Line. */
export function looksLikeResponse(line: string): boolean {
  return line.length >= 4 && line.slice(0, 4).toUpperCase() === 'SIP/';
}

export function parseStartLine(line: string): StartLine {
  if (looksLikeResponse(line)) return parseStatusLine(line);
  const sp1 = line.indexOf(' ');
  const sp2 = sp1 < 0 ? -1 : line.indexOf(' ', sp1 + 1);
  if (sp1 <= 0 || sp2 < 0) throw bad('request', 'malformed Request-Line');
  const version = line.slice(sp2 + 1);
  if (version.includes(' ')) throw bad('request', 'extra whitespace in Request-Line');
  checkVersion(version, 'request');
  const method = line.slice(0, sp1);
  const uri = line.slice(sp1 + 1, sp2);
  if (!allIn(TOKEN, method)) throw bad('request', 'bad method');
  const colon = uri.indexOf(':');
  const first = uri.charCodeAt(0) | 0x20;
  if (colon <= 0 || first < 97 || first > 122 || !allIn(SCHEME, uri, 0, colon) || colon === uri.length - 1) {
    throw bad('request', `bad Request-URI "${uri}"`);
  }
  return { kind: 'request', method, uri };
}

function parseStatusLine(line: string): StartLine {
  const sp1 = line.indexOf(' ');
  if (sp1 < 0) throw bad('response', 'malformed Status-Line');
  checkVersion(line.slice(0, sp1), 'response');
  const code = line.slice(sp1 + 1, sp1 + 4);
  const after = line.charCodeAt(sp1 + 4);
  if (!/^[1-6]\d\d$/.test(code) || !(Number.isNaN(after) || after === 32)) {
    throw bad('response', `bad Status-Code in "${line.slice(0, 40)}"`);
  }
  return { kind: 'response', status: Number(code), reason: latin1ToUtf8(line.slice(sp1 + 5)) };
}
