/**
 * How Palisade treats the media of one call leg, and the per-kind defaults an operator would
 * expect from an SBC:
 *
 * - carrier: a trusted peer on a public address. Its SDP address is right, it speaks plain
 *   RTP/AVP and no ICE.
 * - customer-nat: a PBX or phone behind NAT. Its SDP address is typically private (RFC 1918) and
 *   useless; media goes to where its SIP came from until its first RTP packet shows the real
 *   address/port (latching), after which only that source is accepted (strict source). Symmetric
 *   RTP: we send back to where it sends from.
 * - customer-public: a customer on a public address; SDP trusted, symmetric RTP.
 * - webrtc: a browser. ICE (rtpengine as the only candidate), DTLS-SRTP, RTP/SAVPF, rtcp-mux.
 */
import type { IceMode, NgCodecOptions, TransportProtocol } from './ng-message';

export type LegKind = 'carrier' | 'customer-nat' | 'customer-public' | 'webrtc';

export interface LegMediaProfile {
  kind: LegKind;
  /** The tag rtpengine knows this leg by: stable for the life of the leg (its dialog tag). */
  tag: string;
  /** Source IP address of this leg's SIP (for `received-from`); required for customer-nat. */
  sipSource?: string;
  /** rtpengine logical interface facing this leg (`--interface=NAME/IP[!ADVERTISED]`). */
  interface?: string;
  /** Transport protocol this leg speaks; rtpengine translates. Default by kind. */
  transport?: TransportProtocol;
  /**
   * ICE towards this leg. Default: force for webrtc, remove otherwise; `default` keeps ICE only
   * when the offer had it (a NATed client that does ICE itself, nat.media.ice).
   */
  ice?: IceMode;
  /** Codec changes applied to offers sent to this leg. Default: pass-through. */
  codecs?: NgCodecOptions;
  /** Ask rtpengine to record the call (needs rtpengine's --recording-dir). */
  record?: boolean;
  /** Send this leg's media to this address regardless of SDP and SIP source. */
  mediaAddress?: string;
  /** A peer that sends from another port than it receives on: no latching. */
  asymmetric?: boolean;
  /**
   * false: no latching at all for this leg, even if NATed: trust its SDP address and never learn
   * from RTP (`trust-address` + `asymmetric`). A debugging switch (nat.media.latching: false);
   * a NATed leg then gets one-way audio. Default true.
   */
  latching?: boolean;
  /** Seconds without RTP after which the call is considered dead (see watchMediaTimeout). */
  mediaTimeoutSeconds?: number;
}

/**
 * The profile with its rtpengine tag set (the callee's, once it answered). `tag` is a required
 * field, so the spread only overrides it and V8 keeps the source's hidden class.
 */
export function withTag(p: LegMediaProfile, tag: string): LegMediaProfile {
  // eslint-disable-next-line no-restricted-syntax -- overrides a field every profile has
  return { ...p, tag };
}

/** Concrete media policy of a leg after applying the kind's defaults. */
export interface ResolvedLeg {
  tag: string;
  kind: LegKind;
  /** Take the SDP's c= address as the media address (else the SIP source address). */
  trustSdpAddress: boolean;
  /** Learn the address from the first RTP packet right away (known-wrong SDP address). */
  learnImmediately: boolean;
  strictSource: boolean;
  asymmetric: boolean;
  /** Keep rtpengine's local ports when this leg's signalled port changes. */
  portLatching: boolean;
  transport: TransportProtocol | undefined;
  ice: IceMode;
  sipSource: string | undefined;
  interface: string | undefined;
  mediaAddress: string | undefined;
  codecs: NgCodecOptions | undefined;
  record: boolean;
}

export function resolveLeg(p: LegMediaProfile): ResolvedLeg {
  const nat = p.kind === 'customer-nat';
  const webrtc = p.kind === 'webrtc';
  const off = p.latching === false;
  // asymmetric is what really stops learning: rtpengine learns even a trusted leg's address
  const asymmetric = p.asymmetric === true || off;
  return {
    tag: p.tag,
    kind: p.kind,
    trustSdpAddress: !nat || off,
    learnImmediately: nat && !off,
    strictSource: nat && !asymmetric,
    asymmetric,
    portLatching: nat || webrtc,
    transport: p.transport ?? defaultTransport(p.kind),
    ice: p.ice ?? (webrtc ? 'force' : 'remove'),
    sipSource: p.sipSource,
    interface: p.interface,
    mediaAddress: p.mediaAddress,
    codecs: p.codecs,
    record: p.record === true,
  };
}

function defaultTransport(kind: LegKind): TransportProtocol | undefined {
  switch (kind) {
    case 'carrier':
      return 'RTP/AVP';
    case 'webrtc':
      return 'RTP/SAVPF';
    case 'customer-nat':
    case 'customer-public':
      return undefined; // pass through whatever the other side offers
  }
}

export const isSecure = (t: TransportProtocol | undefined): boolean => t === 'RTP/SAVP' || t === 'RTP/SAVPF';
