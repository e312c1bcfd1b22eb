/**
 * ALG evidence (g): an internal address left in an identity field while every routing field
 * carries the packet's source. A consistent ALG such as Linux nf_nat_sip rewrites the top Via,
 * Contact, From/To and SDP o=/c= to the NAT's public address and port, but not the Call-ID
 * (RFC 3261 §8.1.1.4: opaque, often `random@local-ip`), so the client's own address survives
 * there. Measured in the NAT lab (docs/nat-lab.md): sipp behind the kernel ALG sends
 * `Call-ID: 1-pid@198.51.100.2` with everything else on the WAN address.
 *
 * Not ALG evidence, so not reported:
 * - a NATed client without ALG: its Via/Contact are internal too (NAT detection handles it);
 * - a client that rewrites itself from received/rport (SELF_REWRITING_AGENTS): it may keep the
 *   private Call-ID, and learns its public address from our responses;
 * - a STUN client behind a NAT whose STUN mapping is not its SIP mapping (address- or
 *   port-dependent mapping): its Via/Contact carry another port or address than the source;
 * - TLS and WebSocket: no router can rewrite them;
 * - loopback and link-local Call-ID hosts (some stacks write 127.0.0.1 whatever their address).
 * A STUN client behind an endpoint-independent NAT that also writes its local address into the
 * Call-ID looks exactly like this, which is why one observation is only a hint (weight 0.5 in
 * DEFAULT_ALG_POLICY): a suspect needs a repeat within the half-life or other evidence.
 */
import { classifyAddress, sameAddress } from './address-class';
import { type NatDetector, type NatRequestFacts, contactHosts, defaultSipPort } from './nat-detect';
import { sdpAddresses } from './sdp-addresses';

export interface IdentityFacts extends NatRequestFacts {
  callId?: string | undefined;
  /** Host of the From URI. */
  fromHost?: string | undefined;
}

/** Transports a router ALG can read and rewrite. */
const REWRITABLE = new Set(['udp', 'tcp']);

/** The host of a Call-ID `word@host` (RFC 3261 §25.1 callid = word ["@" word]); IPv6 unbracketed. */
export function callIdHost(callId: string | undefined): string | undefined {
  if (callId === undefined) return undefined;
  const at = callId.lastIndexOf('@');
  if (at < 0) return undefined;
  const host = callId.slice(at + 1).trim();
  const bracketed = /^\[([^\]]*)\](?::\d+)?$/.exec(host);
  if (bracketed) return bracketed[1];
  // host:port only when there is a single colon (a bare IPv6 address has several)
  return host.split(':').length === 2 ? host.replace(/:\d+$/, '') : host;
}

/** An address the client can only have written about itself from inside its own network. */
function leftBehind(host: string | undefined, src: string, detector: NatDetector): boolean {
  if (host === undefined || classifyAddress(host) === undefined) return false;
  const cls = classifyAddress(host);
  if (cls === 'loopback' || cls === 'link-local') return false;
  return detector.isInternalHost(host) && !sameAddress(host, src);
}

/**
 * Every routing field names the packet source: top Via host (and, over UDP, port), each Contact
 * host, SDP o= and each c= other than hold/multicast.
 */
function routingIsSource(facts: IdentityFacts): boolean {
  const src = facts.source.address;
  const { via } = facts;
  if (!sameAddress(via.host, src)) return false;
  if (facts.source.transport === 'udp' && (via.port ?? defaultSipPort(via.transport)) !== facts.source.port)
    return false;
  const contacts = contactHosts(facts.contacts);
  if (contacts.some((h) => !sameAddress(h, src))) return false;
  if (facts.sdp === undefined) return true;
  const sdp = sdpAddresses(facts.sdp);
  if (sdp.origin !== undefined && !sameAddress(sdp.origin, src)) return false;
  return sdp.connections.every((c) => sameAddress(c, src) || !isUnicast(c));
}

function isUnicast(addr: string): boolean {
  const cls = classifyAddress(addr);
  return cls !== 'unspecified' && cls !== 'multicast';
}

/** (g) The evidence line, or undefined. `selfRewriting`: the User-Agent rewrites its own Via/Contact. */
export function identityTrace(
  facts: IdentityFacts,
  detector: NatDetector,
  selfRewriting: boolean,
): string | undefined {
  if (selfRewriting || !REWRITABLE.has(facts.source.transport)) return undefined;
  const src = facts.source.address;
  if (detector.isInternalHost(src)) return undefined; // a client on our own network
  const fromHost = facts.fromHost;
  const trace = leftBehind(callIdHost(facts.callId), src, detector)
    ? `Call-ID host ${callIdHost(facts.callId) ?? ''}`
    : leftBehind(fromHost, src, detector)
      ? `From host ${fromHost ?? ''}`
      : undefined;
  if (trace === undefined || !routingIsSource(facts)) return undefined;
  return `${trace}, Via/Contact/SDP = source ${src}`;
}
