/**
 * What NAT and ALG detection read from one received request (plain data, no srf types): the
 * top Via as the client wrote it, its Contact URIs, SDP, User-Agent, Call-ID and From host, and
 * where it came from.
 *
 * The engine (like drachtio-server) stamps `received` and fills `rport` on the top Via before the
 * app sees it (RFC 3261 §18.2.1, RFC 3581 §4), and always with the packet's source. A `received`
 * naming another address, or an `rport` value other than the source port, was written before
 * the packet reached us — by the client or by something on the way (evidence (c) of alg-detect).
 * So the engine's own stamp is taken off here and anything else is kept.
 */
import { parseNameAddr, parseVia } from '../../sip';
import type { RequestHeaders } from '../pipeline/context';
import type { PacketSource } from '../routing/trunk-matcher';
import type { AlgRequestFacts } from './alg-detect';
import { sameAddress } from './address-class';
import type { NatRequestFacts, TopVia } from './nat-detect';

export interface ReceivedRequest {
  headers: RequestHeaders;
  source: PacketSource;
  /** Request body (SDP for an INVITE with an offer). */
  body?: string | undefined;
}

export type RequestFacts = NatRequestFacts & AlgRequestFacts;

/** The client's top Via with the receiver's own received/rport stamp removed; undefined if unreadable. */
export function clientVia(value: string | undefined, source: PacketSource): TopVia | undefined {
  if (value === undefined) return undefined;
  const parsed = parseVia(value.trim());
  if (!parsed.ok) return undefined;
  const v = parsed.value;
  const received =
    v.received !== undefined && sameAddress(v.received, source.address) ? undefined : v.received;
  const rport = typeof v.rport === 'number' && v.rport === source.port ? null : v.rport;
  return { transport: v.transport, host: v.host.replace(/^\[(.*)\]$/, '$1'), port: v.port, received, rport };
}

function isSdp(headers: RequestHeaders, body: string | undefined): body is string {
  if (body === undefined || body === '') return false;
  const type = headers.get('content-type');
  return type === undefined ? body.startsWith('v=0') : /^application\/sdp\b/i.test(type.trim());
}

export function requestFacts(req: ReceivedRequest): RequestFacts | undefined {
  const via = clientVia(req.headers.getAll('via')[0], req.source);
  if (via === undefined) return undefined;
  return {
    source: req.source,
    via,
    contacts: req.headers.getAll('contact').filter((c) => c.trim() !== '*'),
    sdp: isSdp(req.headers, req.body) ? req.body : undefined,
    userAgent: req.headers.get('user-agent'),
    callId: req.headers.get('call-id'),
    fromHost: uriHost(req.headers.get('from')),
  };
}

/** Host of a From/To header's SIP URI, without IPv6 brackets; undefined if unreadable. */
function uriHost(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const parsed = parseNameAddr(value.trim());
  if (!parsed.ok || parsed.value.uri.kind !== 'sip') return undefined;
  return parsed.value.uri.host.replace(/^\[(.*)\]$/, '$1');
}
