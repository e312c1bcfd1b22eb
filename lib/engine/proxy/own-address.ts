/**
 * "Does this URI point at us?" (RFC 3261 §16.4 preloaded Route removal, §16.12 Route to a
 * record-routing proxy) and the Record-Route / Path value we insert (§16.6 item 4, RFC 3327).
 * A URI is ours when its host is one of our listeners' sent-by or bound addresses and its port
 * (default per transport) is that listener's.
 */
import { parseNameAddr, type NameAddr, type SipUri } from '../../sip';
import { sentBy, type SipStack } from '../../sip/stack';
import type { SendTarget, TransportKind } from '../../sip/transport';
import { hostport } from '../core/local-address';
import { uriOf } from '../core/next-hop';
import { SIP_TRANSPORTS } from '../../sip/transport-names';

const DEFAULT_PORT: Record<TransportKind, number> = { udp: 5060, tcp: 5060, tls: 5061, ws: 80, wss: 443 };

const bare = (h: string): string => h.replace(/^\[|\]$/g, '').toLowerCase();

export function isOwnHostPort(stack: SipStack, host: string, port: number | undefined): boolean {
  const h = bare(host);
  return SIP_TRANSPORTS.some((transport) => {
    const wanted = port ?? DEFAULT_PORT[transport];
    const l = stack.listenerFor({ transport, address: h, port: wanted });
    const by = sentBy(l);
    return (bare(by.host) === h && by.port === wanted) || (bare(l.address) === h && l.port === wanted);
  });
}

export function isOwnSipUri(stack: SipStack, uri: SipUri): boolean {
  const maddr = uri.params.get('maddr');
  return isOwnHostPort(stack, maddr ?? uri.host, uri.port);
}

/** The request's Request-URI points at the engine (then the destination replaces it, §7). */
export function isOwnUriText(stack: SipStack, text: string): boolean {
  const uri = uriOf(text);
  return uri?.kind === 'sip' && isOwnSipUri(stack, uri);
}

/** A Route value naming us (with `lr` when `needLr`). */
export function isOwnRoute(stack: SipStack, value: string, needLr: boolean): boolean {
  const parsed = parseNameAddr(value.trim());
  if (!parsed.ok) return false;
  const na: NameAddr = parsed.value;
  if (na.uri.kind !== 'sip') return false;
  if (needLr && !na.uri.params.has('lr')) return false;
  return isOwnSipUri(stack, na.uri);
}

/** The target is one of our own listeners: sending there would loop. */
export function isOwnTarget(stack: SipStack, target: SendTarget): boolean {
  const l = stack.listenerFor(target);
  return l.port === target.port && bare(l.address) === bare(target.address);
}

/** `<sip:host:port;transport=x;lr>` for the listener a request to `target` leaves from. */
export function recordRouteFor(stack: SipStack, target: SendTarget): string {
  const l = stack.listenerFor(target);
  const by = sentBy(l);
  return `<sip:${hostport(by.host, by.port)};transport=${l.transport};lr>`;
}
