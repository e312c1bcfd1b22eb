/**
 * SIP ALG evidence from single observations (issue 7 point 6). A router ALG rewrites some of the
 * addresses a client wrote (Via, Contact, SDP) to its public address; the client cannot know
 * that address itself (without STUN), so a message where some fields already carry the public
 * source and others still carry an internal address was edited on the way. Each function here
 * looks at one request or one media latch and returns the evidence found; AlgSuspicion collects
 * it per client and `assess` decides. Signal names are a fixed set (metric labels).
 */
import type { PacketSource } from '../routing/trunk-matcher';
import { classifyAddress, sameAddress } from './address-class';
import { type NatDetector, type TopVia, contactHosts } from './nat-detect';
import { identityTrace } from './alg-identity';
import { sdpAddresses } from './sdp-addresses';

export const ALG_SIGNALS = [
  'partial-rewrite',
  'contact-sdp-mismatch',
  'via-params-tampered',
  'signed-param-altered',
  'media-port-mismatch',
  'registration-unstable',
  'identity-private',
] as const;
export type AlgSignal = (typeof ALG_SIGNALS)[number];

export interface AlgFinding {
  signal: AlgSignal;
  /** One line for the per-client log and the admin query, e.g. "Via 203.0.113.7 = source, o= 192.168.1.5". */
  detail: string;
}

/**
 * User-Agents that rewrite their own Via/Contact from received/rport (RFC 3581) but leave the SDP
 * alone, so "Via public, SDP private" is normal for them (PJSIP allow_via/contact_rewrite,
 * Linphone/liblinphone, Zoiper, MicroSIP).
 */
export const SELF_REWRITING_AGENTS: readonly RegExp[] = [/pjsip/i, /linphone/i, /zoiper/i, /microsip/i];

/**
 * Desk phones and test agents that write one local address everywhere unless STUN is on (then
 * they write the mapped address everywhere): a Contact/SDP disagreement is not theirs.
 */
export const NON_REWRITING_AGENTS: readonly RegExp[] = [
  /^yealink/i,
  /^grandstream/i,
  /^poly(com)?/i,
  /^snom/i,
  /^fanvil/i,
  /^cisco\/spa|^cisco-cp/i,
  /^linksys\/spa/i,
  /^baresip/i,
  /^sipp\b/i,
];

export interface AlgRequestFacts {
  source: PacketSource;
  via: TopVia;
  contacts: readonly string[];
  sdp?: string | undefined;
  userAgent?: string | undefined;
  /** Call-ID and From URI host: identity fields an ALG leaves alone (evidence (g)). */
  callId?: string | undefined;
  fromHost?: string | undefined;
}

export interface AgentKnowledge {
  selfRewriting: readonly RegExp[];
  nonRewriting: readonly RegExp[];
}

const DEFAULT_AGENTS: AgentKnowledge = {
  selfRewriting: SELF_REWRITING_AGENTS,
  nonRewriting: NON_REWRITING_AGENTS,
};

const matches = (ua: string | undefined, list: readonly RegExp[]): boolean =>
  ua !== undefined && list.some((re) => re.test(ua));

/**
 * Evidence (a), (b), (c) and (g) from one request received straight from the client (its top Via
 * is its own; do not feed requests that crossed a customer proxy).
 */
export function requestAlgFindings(
  facts: AlgRequestFacts,
  detector: NatDetector,
  agents: AgentKnowledge = DEFAULT_AGENTS,
): AlgFinding[] {
  const findings: AlgFinding[] = [];
  const src = facts.source.address;
  const sdp = facts.sdp === undefined ? undefined : sdpAddresses(facts.sdp);
  const contacts = contactHosts(facts.contacts);
  const internalContact = contacts.find((h) => detector.isInternalHost(h));
  const internalOrigin =
    sdp?.origin !== undefined && detector.isInternalOrigin(sdp.origin) ? sdp.origin : undefined;

  // (a) Via sent-by already the public source, but the client's own Contact or o= still internal.
  const viaIsSource = sameAddress(facts.via.host, src) && !detector.isInternalHost(src);
  if (viaIsSource && !matches(facts.userAgent, agents.selfRewriting)) {
    const stale =
      internalContact !== undefined
        ? `Contact ${internalContact}`
        : internalOrigin !== undefined
          ? `o= ${internalOrigin}`
          : undefined;
    if (stale !== undefined) {
      findings.push({ signal: 'partial-rewrite', detail: `Via ${facts.via.host} = source, ${stale}` });
    }
  }

  // (b) Contact and SDP c= disagree about being internal, from a phone that never does that itself.
  if (matches(facts.userAgent, agents.nonRewriting) && sdp !== undefined && contacts.length > 0) {
    const contactInternal = internalContact !== undefined;
    const odd = sdp.connections.find((c) => !isHold(c) && detector.isInternalHost(c) !== contactInternal);
    if (odd !== undefined) {
      findings.push({
        signal: 'contact-sdp-mismatch',
        detail: `Contact ${internalContact ?? contacts[0] ?? ''} vs c= ${odd} (${facts.userAgent ?? ''})`,
      });
    }
  }

  // (c) RFC 3581 §4: received and a filled-in rport are written by the receiver, never by the client.
  const { received, rport } = facts.via;
  if (received !== undefined || typeof rport === 'number') {
    const parts = [
      received === undefined ? '' : `received=${received}`,
      typeof rport === 'number' ? `rport=${rport}` : '',
    ];
    findings.push({
      signal: 'via-params-tampered',
      detail: `request Via ${parts.filter(Boolean).join(' ')}`,
    });
  }
  // (g) An internal address left in the Call-ID/From while Via, Contact and SDP name the source.
  const identity = identityTrace(facts, detector, matches(facts.userAgent, agents.selfRewriting));
  if (identity !== undefined) findings.push({ signal: 'identity-private', detail: identity });
  return findings;
}

/** c=0.0.0.0 (RFC 3264 §8.4 hold) and multicast say nothing about the client's address. */
function isHold(addr: string): boolean {
  const cls = classifyAddress(addr);
  return cls === 'unspecified' || cls === 'multicast';
}

/** (d) A Palisade-signed parameter came back and did not verify (see signed-token.ts). */
export function signedParamFinding(verified: boolean, where: string): AlgFinding | undefined {
  return verified
    ? undefined
    : { signal: 'signed-param-altered', detail: `signed parameter altered in ${where}` };
}

export interface MediaLatch {
  /** Whether NAT detection found the signalling NATed. */
  signallingNatted: boolean;
  /** The RTP port the client's SDP announced. */
  sdpPort: number;
  /** The port rtpengine latched onto from the first RTP packet. */
  latchedPort: number;
}

/**
 * (e) Signalling looked public (an ALG made it so) yet RTP comes from another port than the SDP
 * says: the NAT remapped the media port the ALG-rewritten SDP claims is unchanged.
 */
export function mediaLatchFinding(latch: MediaLatch): AlgFinding | undefined {
  if (latch.signallingNatted || latch.sdpPort === 0 || latch.latchedPort === latch.sdpPort) return undefined;
  return {
    signal: 'media-port-mismatch',
    detail: `RTP from port ${latch.latchedPort}, SDP port ${latch.sdpPort}, signalling public`,
  };
}
