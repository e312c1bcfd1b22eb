/**
 * Via (RFC 3261 §20.42, §18.2.1, RFC 3581 rport, RFC 5118 §4.5 received with or without []):
 *   sent-protocol LWS sent-by *( SEMI via-params ),  sent-protocol = name SLASH version SLASH transport
 */
import { TOKEN, isDigits, scanIn, skipWs } from './chars';
import { SipParseError, syntaxError } from './errors';
import { isHost, readPort, scanHost } from './host';
import { type Params, formatParams, parseParams } from './params';
import { type Result, err, ok } from '../util/result';

export class Via {
  constructor(
    /** "SIP/2.0" */
    public protocol: string,
    /** UDP, TCP, TLS, SCTP, WS, WSS or any other token (§25.1 other-transport) */
    public transport: string,
    public host: string,
    public port: number | undefined,
    public params: Params = new Map(),
  ) {}

  get branch(): string | undefined {
    return this.params.get('branch') ?? undefined;
  }
  get received(): string | undefined {
    return this.params.get('received') ?? undefined;
  }
  /** RFC 3581: undefined = absent, null = requested (no value), number = filled in */
  get rport(): number | null | undefined {
    const v = this.params.get('rport');
    return v === undefined || v === null ? v : Number(v);
  }
  get maddr(): string | undefined {
    return this.params.get('maddr') ?? undefined;
  }
  get ttl(): number | undefined {
    const v = this.params.get('ttl');
    return v === undefined || v === null ? undefined : Number(v);
  }
}

function token(s: string, i: number, what: string): number {
  const end = scanIn(TOKEN, s, i);
  if (end === i) throw syntaxError(`Via: missing ${what}`);
  return end;
}

function expectSlash(s: string, i: number): number {
  i = skipWs(s, i);
  if (s.charCodeAt(i) !== 47) throw syntaxError('Via: bad sent-protocol');
  return skipWs(s, i + 1);
}

/** Parse one Via value (one element of a comma-separated list); throws SipParseError (400). */
export function readVia(s: string): Via {
  let i = skipWs(s, 0);
  const nameEnd = token(s, i, 'protocol name');
  const name = s.slice(i, nameEnd);
  i = expectSlash(s, nameEnd);
  const versionEnd = token(s, i, 'protocol version');
  const version = s.slice(i, versionEnd);
  i = expectSlash(s, versionEnd);
  const transportEnd = token(s, i, 'transport');
  const transport = s.slice(i, transportEnd);
  i = skipWs(s, transportEnd);
  if (i === transportEnd) throw syntaxError('Via: missing LWS before sent-by');
  const hostEnd = scanHost(s, i);
  const host = s.slice(i, hostEnd);
  i = skipWs(s, hostEnd);
  let port: number | undefined;
  if (s.charCodeAt(i) === 58) {
    i = skipWs(s, i + 1);
    let end = i;
    while (end < s.length && s.charCodeAt(end) >= 48 && s.charCodeAt(end) <= 57) end++;
    port = readPort(s, i, end);
    i = end;
  }
  const params = parseParams(s, i);
  checkViaParams(params);
  return new Via(`${name}/${version}`, transport, host, port, params);
}

function checkViaParams(params: Params): void {
  const ttl = params.get('ttl');
  if (ttl !== undefined && (ttl === null || !isDigits(ttl) || ttl.length > 3 || Number(ttl) > 255)) {
    throw syntaxError('Via: bad ttl');
  }
  const rport = params.get('rport');
  if (
    rport !== undefined &&
    rport !== null &&
    (!isDigits(rport) || rport.length > 5 || Number(rport) > 65535)
  ) {
    throw syntaxError('Via: bad rport');
  }
  const received = params.get('received');
  if (received !== undefined && (received === null || !(isHost(received) || isHost(`[${received}]`)))) {
    throw syntaxError('Via: bad received');
  }
  const maddr = params.get('maddr');
  if (maddr !== undefined && (maddr === null || !isHost(maddr))) throw syntaxError('Via: bad maddr');
  const branch = params.get('branch');
  if (branch === null) throw syntaxError('Via: branch without value');
}

export function parseVia(s: string): Result<Via, SipParseError> {
  try {
    return ok(readVia(s));
  } catch (e) {
    if (e instanceof SipParseError) return err(e);
    throw e;
  }
}

export function formatVia(v: Via): string {
  const port = v.port === undefined ? '' : `:${v.port}`;
  return `${v.protocol}/${v.transport} ${v.host}${port}${formatParams(v.params)}`;
}
