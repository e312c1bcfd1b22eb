/**
 * name-addr / addr-spec with header parameters, as in From, To, Contact, Route, Record-Route,
 * Reply-To, Refer-To (RFC 3261 §20.10, §25.1):
 *   ( name-addr / addr-spec ) *( SEMI param ),  name-addr = [ display-name ] LAQUOT addr-spec RAQUOT
 * In addr-spec form the URI cannot carry ";", "?" or "," (§20.10): ";..." are header params.
 * A token display name directly followed by "<" is accepted (RFC 4475 §3.1.1.6).
 */
import { TOKEN, skipWs, trimWs } from './chars';
import { SipParseError, syntaxError } from './errors';
import { type Params, formatParams, parseParams } from './params';
import { quote, readQuoted } from './quoted';
import { type Uri, formatUri, readUri } from './uri';
import { type Result, err, ok } from '../util/result';

export class NameAddr {
  constructor(
    /** unescaped display name (quoted or token form), undefined when absent */
    public displayName: string | undefined,
    public uri: Uri,
    /** header parameters (tag, expires, q, lr ...), lower-case names */
    public params: Params = new Map(),
  ) {}

  get tag(): string | undefined {
    return this.params.get('tag') ?? undefined;
  }
}

function isDisplayToken(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c !== 32 && c !== 9 && (c > 127 || TOKEN[c] !== 1)) return false;
  }
  return true;
}

/** Parse one (already list-split, trimmed) name-addr or addr-spec; throws SipParseError (400). */
export function readNameAddr(s: string): NameAddr {
  let displayName: string | undefined;
  let i = 0;
  if (s.charCodeAt(0) === 34) {
    const q = readQuoted(s, 0);
    displayName = q.text;
    i = skipWs(s, q.end);
    if (s.charCodeAt(i) !== 60) throw syntaxError('quoted display name without <URI>');
  } else {
    const lt = s.indexOf('<');
    if (lt >= 0) {
      const dn = trimWs(s.slice(0, lt));
      if (!isDisplayToken(dn)) throw syntaxError(`bad display name "${dn}"`);
      if (dn.length > 0) displayName = dn;
      i = lt;
    }
  }
  if (s.charCodeAt(i) === 60) {
    const gt = s.indexOf('>', i);
    if (gt < 0) throw syntaxError('missing ">"');
    const uri = readUri(s.slice(i + 1, gt));
    return new NameAddr(displayName, uri, parseParams(s, gt + 1));
  }
  let end = s.indexOf(';');
  if (end < 0) end = s.length;
  const spec = trimWs(s.slice(0, end));
  if (spec.includes('?') || spec.includes(',')) throw syntaxError(`URI "${spec}" must be in <> (§20.10)`);
  return new NameAddr(undefined, readUri(spec), parseParams(s, end));
}

export function parseNameAddr(s: string): Result<NameAddr, SipParseError> {
  try {
    return ok(readNameAddr(trimWs(s)));
  } catch (e) {
    if (e instanceof SipParseError) return err(e);
    throw e;
  }
}

/** Always writes the name-addr form (<...>), which is valid for every URI. */
export function formatNameAddr(na: NameAddr): string {
  const dn = na.displayName === undefined ? '' : quote(na.displayName) + ' ';
  return `${dn}<${formatUri(na.uri)}>${formatParams(na.params)}`;
}

/** From/To value without its tag parameter: a dialog's local/remote URI (RFC 3261 §12.1). */
export function withoutTag(na: NameAddr): string {
  const params = new Map(na.params);
  params.delete('tag');
  return formatNameAddr(new NameAddr(na.displayName, na.uri, params));
}
