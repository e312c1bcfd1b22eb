/**
 * The INVITE towards the callee, built from nothing of the caller's signalling but what may cross
 * (topology hiding): a Request-URI on the gateway with the normalised called number, a From with
 * the normalised calling number on our own address (or the trunk's From domain), the headers the
 * trunks' policies allow, and no Via, Record-Route, Contact or Call-ID of the caller.
 */
import type { TrunkConfig } from '../../config';
import { formatUri, parseUri, type SipUri } from '../../sip';
import type { CallContext } from '../pipeline/context';
import { crossingHeaders, legPolicy } from '../pipeline/headers';
import { normalizeRequest, normalizeUri } from '../routing/normalize';
import type { GatewayConfig } from '../routing/gateway-plan';

export interface OutboundInvite {
  uri: string;
  headers: Record<string, string>;
}

function userOf(uri: string): string | undefined {
  const u = parseUri(uri);
  return u.ok && u.value.kind === 'sip'
    ? u.value.user
    : u.ok && u.value.kind === 'tel'
      ? u.value.number
      : undefined;
}

/** The gateway URI with the called number as user part, as a literal of SipUri's fixed shape. */
function withUser(u: SipUri, user: string | undefined): SipUri {
  return {
    kind: 'sip',
    scheme: u.scheme,
    user,
    password: u.password,
    host: u.host,
    port: u.port,
    params: u.params,
    headers: u.headers,
  };
}

function hostOf(uri: string): string {
  const u = parseUri(uri);
  return u.ok && u.value.kind === 'sip' ? u.value.host : 'localhost';
}

function displayName(from: string): string {
  const m = /^\s*("(?:[^"\\]|\\.)*")\s*</.exec(from);
  return m?.[1] ? `${m[1]} ` : '';
}

/** The caller's Max-Forwards (70 when absent or unreadable). */
export function maxForwardsOf(ctx: CallContext): number {
  const n = Number(ctx.request.headers.get('max-forwards') ?? '70');
  return Number.isInteger(n) && n >= 0 ? n : 70;
}

export function outboundInvite(ctx: CallContext, trunk: TrunkConfig, gateway: GatewayConfig): OutboundInvite {
  const identity = ctx.identity ?? { ruri: ctx.request.uri, from: '', to: '', pai: [] };
  const rule = trunk.normalize.outbound;
  const fields = normalizeRequest(identity, rule);
  const gw = parseUri(gateway.uri);
  const called = userOf(fields.ruri);
  let uri = gateway.uri;
  if (gw.ok && gw.value.kind === 'sip') uri = formatUri(withUser(gw.value, called));
  const calling = userOf(fields.from) ?? 'anonymous';
  const fromHost = rule.fromDomain ?? 'localhost';
  const headers: Record<string, string> = {
    From: `${displayName(ctx.request.from)}<sip:${calling}@${fromHost}>`,
    To: `<sip:${called ?? ''}@${hostOf(uri)}>`,
    // A B2BUA still takes part in loop detection (RFC 3261 §16.6 step 3 by analogy).
    'Max-Forwards': String(Math.max(0, maxForwardsOf(ctx) - 1)),
  };
  const policyIn = legPolicy(ctx.sourceTrunk);
  for (const [name, value] of crossingHeaders(ctx.request.headers, policyIn, legPolicy(trunk))) {
    if (name.toLowerCase() === 'p-asserted-identity') {
      headers[name] = fields.pai.length
        ? `<${normalizeUri(value.replace(/^.*<|>.*$/g, ''), rule, 'pai')}>`
        : value;
    } else if (!(name in headers)) headers[name] = value;
  }
  // Added in place: a literal starting with a spread and adding keys costs a V8 hidden class per call.
  return { uri, headers: Object.assign(headers, sessionTimerHeaders(trunk)) };
}

/**
 * RFC 4028 §7.1 on the callee's leg when the trunk asks for it: our Session-Expires with the
 * refresher role (uac: Palisade, the UAC of this leg, refreshes), the trunk's Min-SE and `timer`
 * support. A 422 from the gateway is retried once with its Min-SE (session-timer-retry.ts).
 * The engine runs the timer from the 2xx (refreshes, or BYE when a refresh is missed).
 */
export function sessionTimerHeaders(trunk: TrunkConfig): Record<string, string> {
  const st = trunk.outbound?.sessionTimer;
  if (!st) return {};
  return {
    'Session-Expires': `${st.seconds};refresher=${st.refresher === 'sbc' ? 'uac' : 'uas'}`,
    'Min-SE': String(st.minSe),
    Supported: 'timer',
  };
}
