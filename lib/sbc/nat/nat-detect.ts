/**
 * Per-request NAT detection (issue 7 point 1): compare what the client says about its own address
 * (top Via sent-by, Contact, SDP) with where the packet really came from. Pure: plain data in,
 * `{ natted, signals }` out; signal names are a fixed set (metric labels).
 *
 * RFC 3261 §18.2.1 (received when sent-by ≠ source), RFC 3581 (rport), RFC 3261 §19.1.2 / §18.2.2
 * default ports 5060 / 5061 (TLS). RFC 7118 §5: WebSocket clients use `*.invalid` host names,
 * which nobody can reach, so they count as internal. Host names are never resolved (no I/O): a
 * host name sent-by or Contact is only compared when it ends in `.invalid`.
 */
import type { PacketSource } from '../routing/trunk-matcher';
import { parseUri } from '../../sip/uri';
import { InternalNetworks, classifyAddress, isIpLiteral, sameAddress } from './address-class';
import { sdpAddresses } from './sdp-addresses';

export const NAT_SIGNALS = [
  'via-host-differs',
  'via-port-differs',
  'via-internal',
  'contact-internal',
  'contact-host-differs',
  'sdp-connection-internal',
  'sdp-origin-internal',
  'sdp-connection-differs',
] as const;
export type NatSignal = (typeof NAT_SIGNALS)[number];

/**
 * Signals that alone do not make a client NATed: a PBX or carrier often sends media from a
 * different public host than its signalling (c= ≠ source is normal there).
 */
const ADVISORY: ReadonlySet<NatSignal> = new Set<NatSignal>(['sdp-connection-differs']);

/** The top Via as the client wrote it (lib/sip's Via satisfies this shape). */
export interface TopVia {
  /** UDP, TCP, TLS, WS, WSS, … (any case) */
  transport: string;
  host: string;
  port: number | undefined;
  received?: string | undefined;
  rport?: number | null | undefined;
}

export interface NatRequestFacts {
  source: PacketSource;
  via: TopVia;
  /** Contact header URIs (e.g. `sip:alice@192.168.1.20:5060;ob`); `*` and non-SIP URIs are ignored. */
  contacts: readonly string[];
  /** The SDP body, if the request carries one. */
  sdp?: string | undefined;
}

export interface NatDetection {
  natted: boolean;
  /** Signals that fired, in NAT_SIGNALS order. */
  signals: NatSignal[];
}

/** RFC 3261 §19.1.2: 5061 for TLS (and WSS carries TLS too), 5060 otherwise. */
export function defaultSipPort(transport: string): number {
  const t = transport.toLowerCase();
  return t === 'tls' || t === 'wss' ? 5061 : 5060;
}

/** Connection-oriented transports: the source port is ephemeral, so a port mismatch means nothing. */
function isConnectionOriented(transport: string): boolean {
  return transport.toLowerCase() !== 'udp';
}

export class NatDetector {
  private readonly internal: InternalNetworks;

  /**
   * @param extraInternal CIDR blocks the operator wants treated as internal (customer LANs on public space)
   * @param publicNetworks CIDR blocks treated as public even in a built-in internal class
   */
  constructor(extraInternal: readonly string[] = [], publicNetworks: readonly string[] = []) {
    this.internal = new InternalNetworks(extraInternal, publicNetworks);
  }

  /** Internal: an internal IP literal, or an RFC 7118 `.invalid` host name. */
  isInternalHost(host: string): boolean {
    return this.internal.isInternal(host) || /\.invalid\.?$/i.test(host);
  }

  /**
   * For o= (RFC 4566 §5.2): internal, but loopback is ignored — some servers write o=127.0.0.1
   * whatever their address, so it says nothing about NAT.
   */
  isInternalOrigin(address: string): boolean {
    return this.isInternalHost(address) && classifyAddress(address) !== 'loopback';
  }

  /** Internal and not the address the packet came from (a client on our own LAN is reachable as is). */
  private unreachable(host: string, source: string): boolean {
    return this.isInternalHost(host) && !sameAddress(host, source);
  }

  private differs(host: string, source: string): boolean {
    return isIpLiteral(host) && !sameAddress(host, source);
  }

  detect(facts: NatRequestFacts): NatDetection {
    const fired = new Set<NatSignal>();
    const src = facts.source.address;
    const { via } = facts;
    if (this.differs(via.host, src)) fired.add('via-host-differs');
    if (!isConnectionOriented(facts.source.transport)) {
      if ((via.port ?? defaultSipPort(via.transport)) !== facts.source.port) fired.add('via-port-differs');
    }
    if (this.unreachable(via.host, src)) fired.add('via-internal');
    for (const host of contactHosts(facts.contacts)) {
      if (this.unreachable(host, src)) fired.add('contact-internal');
      if (this.differs(host, src)) fired.add('contact-host-differs');
    }
    if (facts.sdp !== undefined) this.detectSdp(facts.sdp, src, fired);
    const signals = NAT_SIGNALS.filter((s) => fired.has(s));
    return { natted: signals.some((s) => !ADVISORY.has(s)), signals };
  }

  private detectSdp(sdp: string, src: string, fired: Set<NatSignal>): void {
    const found = sdpAddresses(sdp);
    const { origin } = found;
    if (origin !== undefined && this.isInternalOrigin(origin) && !sameAddress(origin, src)) {
      fired.add('sdp-origin-internal');
    }
    for (const addr of found.connections) {
      if (this.unreachable(addr, src)) fired.add('sdp-connection-internal');
      else if (this.differs(addr, src) && isRoutableMedia(addr)) fired.add('sdp-connection-differs');
    }
  }
}

/** c=0.0.0.0 (hold) and multicast say nothing about where the client is. */
function isRoutableMedia(addr: string): boolean {
  const cls = classifyAddress(addr);
  return cls !== 'unspecified' && cls !== 'multicast';
}

/** Hosts of the SIP/SIPS Contact URIs (bare or `<…>`), without the brackets of IPv6 references. */
export function contactHosts(contacts: readonly string[]): string[] {
  const hosts: string[] = [];
  for (const text of contacts) {
    const parsed = parseUri(/<([^>]*)>/.exec(text)?.[1] ?? text.trim());
    if (!parsed.ok || parsed.value.kind !== 'sip') continue;
    hosts.push(parsed.value.host.replace(/^\[(.*)\]$/, '$1'));
  }
  return hosts;
}
