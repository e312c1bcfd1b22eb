/**
 * URIs: SIP / SIPS (RFC 3261 §19.1, §25.1), tel (RFC 3966) and any other absoluteURI, which is
 * kept opaque (a 416 decision belongs to the element, not the parser, §8.2.2.1).
 * Components are kept in their escaped wire form; use unescape() to decode (§19.1.2).
 */
import { HNV, PARAM, PASSWORD, SCHEME, USER, allIn, scanIn } from './chars';
import { SipParseError, syntaxError } from './errors';
import { readPort, scanHost } from './host';
import { type Params, formatParams } from './params';
import { type Result, err, ok } from '../util/result';

export interface SipUri {
  readonly kind: 'sip';
  scheme: 'sip' | 'sips';
  /** escaped user part, or undefined */
  user: string | undefined;
  password: string | undefined;
  /** host name, IPv4 address or bracketed IPv6 reference */
  host: string;
  port: number | undefined;
  /** uri-parameters, lower-case names, escaped values (null = no value); none: shared */
  params: ReadonlyMap<string, string | null>;
  /** URI headers after "?", names as written, escaped values (most URIs have none: shared) */
  headers: ReadonlyMap<string, string>;
}

export interface TelUri {
  readonly kind: 'tel';
  scheme: 'tel';
  number: string;
  params: Params;
}

export interface OtherUri {
  readonly kind: 'other';
  scheme: string;
  opaque: string;
}

export type Uri = SipUri | TelUri | OtherUri;

/** absoluteURI characters (RFC 2396 uric, as RFC 3261 §25.1 uses it): printable ASCII minus a few. */
function isOpaque(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c <= 32 || c >= 127 || c === 34 || c === 60 || c === 62 || c === 92 || c === 94 || c === 96)
      return false;
    if (c === 123 || c === 124 || c === 125) return false;
  }
  return s.length > 0;
}

/** Parse a URI; throws SipParseError (400) on bad syntax. */
export function readUri(s: string): Uri {
  const colon = s.indexOf(':');
  const first = s.charCodeAt(0) | 0x20;
  if (colon <= 0 || first < 97 || first > 122 || !allIn(SCHEME, s, 0, colon)) {
    throw syntaxError(`bad URI "${s}"`, 'SIP_BAD_URI');
  }
  const scheme = s.slice(0, colon).toLowerCase();
  if (scheme === 'sip' || scheme === 'sips') return readSipUri(s, colon + 1, scheme);
  if (scheme === 'tel') return readTelUri(s, colon + 1);
  const opaque = s.slice(colon + 1);
  if (!isOpaque(opaque)) throw syntaxError(`bad URI "${s}"`, 'SIP_BAD_URI');
  return { kind: 'other', scheme: s.slice(0, colon), opaque };
}

export function parseUri(s: string): Result<Uri, SipParseError> {
  try {
    return ok(readUri(s));
  } catch (e) {
    if (e instanceof SipParseError) return err(e);
    throw e;
  }
}

/**
 * The parameters and headers of every SIP URI without any: parsing allocated two Maps per URI
 * (9 KiB per call on the B2BUA thread at 350 calls/s, bench/alloc-profile), mostly empty.
 */
const NO_PARAMS = emptyForever<string | null>();
const NO_HEADERS = emptyForever<string>();

/** An empty map that refuses to change (it is shared; a cast would otherwise let one URI fill it). */
function emptyForever<V>(): ReadonlyMap<string, V> {
  const refuse = (): never => {
    throw new TypeError("a parsed URI's shared empty map is read-only");
  };
  return Object.assign(new Map<string, V>(), { set: refuse, delete: refuse, clear: refuse });
}

function readSipUri(s: string, i: number, scheme: 'sip' | 'sips'): SipUri {
  let user: string | undefined;
  let password: string | undefined;
  const at = s.indexOf('@', i);
  if (at >= 0) {
    const pc = s.indexOf(':', i);
    const userEnd = pc >= 0 && pc < at ? pc : at;
    if (!allIn(USER, s, i, userEnd)) throw syntaxError(`bad user part in "${s}"`, 'SIP_BAD_URI');
    user = s.slice(i, userEnd);
    if (userEnd < at) {
      password = s.slice(userEnd + 1, at);
      if (password.length > 0 && !allIn(PASSWORD, password)) throw syntaxError('bad password', 'SIP_BAD_URI');
    }
    i = at + 1;
  }
  const hostEnd = scanHost(s, i);
  const host = s.slice(i, hostEnd);
  i = hostEnd;
  let port: number | undefined;
  if (s.charCodeAt(i) === 58) {
    let end = i + 1;
    while (end < s.length && s.charCodeAt(end) >= 48 && s.charCodeAt(end) <= 57) end++;
    port = readPort(s, i + 1, end);
    i = end;
  }
  let params: ReadonlyMap<string, string | null> = NO_PARAMS;
  if (i < s.length && s.charCodeAt(i) === 59) {
    const read: Params = new Map();
    i = readUriParams(s, i, read);
    params = read;
  }
  let headers: ReadonlyMap<string, string> = NO_HEADERS;
  if (i < s.length && s.charCodeAt(i) === 63) {
    const read = new Map<string, string>();
    i = readUriHeaders(s, i + 1, read);
    headers = read;
  }
  if (i !== s.length) throw syntaxError(`bad URI "${s}"`, 'SIP_BAD_URI');
  return { kind: 'sip', scheme, user, password, host, port, params, headers };
}

/** uri-parameters = *( ";" pname [ "=" pvalue ] ); returns the index after them. */
function readUriParams(s: string, i: number, into: Params): number {
  while (i < s.length && s.charCodeAt(i) === 59) {
    const nameEnd = scanIn(PARAM, s, i + 1);
    if (nameEnd === i + 1) throw syntaxError(`empty URI parameter in "${s}"`, 'SIP_BAD_URI');
    const name = s.slice(i + 1, nameEnd).toLowerCase();
    i = nameEnd;
    let value: string | null = null;
    if (s.charCodeAt(i) === 61) {
      const vEnd = scanIn(PARAM, s, i + 1);
      if (vEnd === i + 1) throw syntaxError(`empty value of URI parameter ${name}`, 'SIP_BAD_URI');
      value = s.slice(i + 1, vEnd);
      i = vEnd;
    }
    into.set(name, value);
  }
  return i;
}

/** headers = "?" header *( "&" header ), header = hname "=" hvalue */
function readUriHeaders(s: string, i: number, into: Map<string, string>): number {
  for (;;) {
    const nameEnd = scanIn(HNV, s, i);
    if (nameEnd === i || s.charCodeAt(nameEnd) !== 61) throw syntaxError('bad URI header', 'SIP_BAD_URI');
    const valueEnd = scanIn(HNV, s, nameEnd + 1);
    into.set(s.slice(i, nameEnd), s.slice(nameEnd + 1, valueEnd));
    i = valueEnd;
    if (s.charCodeAt(i) !== 38) return i;
    i++;
  }
}

function readTelUri(s: string, i: number): TelUri {
  const end = scanIn(PARAM, s, i);
  if (end === i) throw syntaxError(`bad tel URI "${s}"`, 'SIP_BAD_URI');
  const params: Params = new Map();
  if (readUriParams(s, end, params) !== s.length) throw syntaxError(`bad tel URI "${s}"`, 'SIP_BAD_URI');
  return { kind: 'tel', scheme: 'tel', number: s.slice(i, end), params };
}

export function formatUri(u: Uri): string {
  switch (u.kind) {
    case 'sip': {
      let out = u.scheme + ':';
      if (u.user !== undefined) out += u.password === undefined ? `${u.user}@` : `${u.user}:${u.password}@`;
      out += u.host;
      if (u.port !== undefined) out += `:${u.port}`;
      out += formatParams(u.params);
      let sep = '?';
      for (const [name, value] of u.headers) {
        out += `${sep}${name}=${value}`;
        sep = '&';
      }
      return out;
    }
    case 'tel':
      return `tel:${u.number}${formatParams(u.params)}`;
    case 'other':
      return `${u.scheme}:${u.opaque}`;
  }
}
