/**
 * Pure builders of the ng `offer` and `answer` dictionaries for SDP travelling from one leg to
 * the other. References are to rtpengine's docs/ng_control_protocol.md (offer message keys,
 * "Optionally included flags", "replace-flags"). The sender's settings decide how rtpengine
 * learns where to send that sender's media; the receiver's settings decide what the rewritten
 * SDP it gets looks like (protocol, ICE, crypto, codecs).
 *
 * The dictionaries are built by adding keys to one object, never by a spread followed by keys
 * the spread source lacks: in optimised code V8 11 gives every object made that way a hidden
 * class of its own (bench/hidden-classes.ts), once per offer and answer.
 */
import { isSecure, resolveLeg, type LegMediaProfile, type ResolvedLeg } from './leg-profile';
import type { NgAnswerRequest, NgOfferRequest, NgSdpRequest, TransportProtocol } from './ng-message';

export interface SdpExchange {
  /** rtpengine call-id: one per B2BUA call, shared by both legs (their SIP Call-IDs differ). */
  callId: string;
  sdp: string;
}

/** The offer carrying `from`'s SDP to `to` (initial INVITE, re-INVITE, UPDATE; either direction). */
export function offerFlags(from: LegMediaProfile, to: LegMediaProfile, x: SdpExchange): NgOfferRequest {
  const a = resolveLeg(from);
  const b = resolveLeg(to);
  const req: NgOfferRequest = base(a, b, x);
  towards(a, b, req);
  // direction: logical interfaces facing sender and receiver, e.g. "priv"/"pub" for 1:1 NAT,
  // where the interface is configured as NAME/LOCAL!ADVERTISED.
  if (a.interface !== undefined && b.interface !== undefined) req.direction = [a.interface, b.interface];
  // codec: strip/mask/transcode apply to what the receiver is offered; processed in offers only.
  if (b.codecs && Object.values(b.codecs).some((l: string[] | undefined) => l?.length)) req.codec = b.codecs;
  return req;
}

/**
 * The answer carrying `from`'s (the answerer's) SDP back to `to` (the offerer). rtpengine keys
 * the exchange by the offer's tags: from-tag is the offerer's, to-tag the answerer's.
 */
export function answerFlags(from: LegMediaProfile, to: LegMediaProfile, x: SdpExchange): NgAnswerRequest {
  const a = resolveLeg(from);
  const b = resolveLeg(to);
  // ICE towards the offerer: answer with rtpengine's own candidates to a WebRTC offerer, none
  // otherwise (ICE: force / remove). The transport protocol stays the one originally offered.
  return Object.assign(base(a, b, x), { 'from-tag': b.tag, 'to-tag': a.tag, ICE: b.ice });
}

/** Keys common to offer and answer: identity, SDP rewriting, and how to reach the sender. */
function base(sender: ResolvedLeg, receiver: ResolvedLeg, x: SdpExchange): NgSdpRequest {
  const req: NgSdpRequest = {
    'call-id': x.callId,
    'from-tag': sender.tag,
    sdp: x.sdp,
    flags: senderFlags(sender),
    // replace origin / session-connection: rewrite o= and the session-level c= too, so no
    // address of one side (e.g. a customer's RFC 1918 address) leaks to the other.
    replace: ['origin', 'session-connection'],
  };
  // to-tag only once the receiver has one: an initial INVITE's offer goes out before the callee
  // has a tag. rtpengine 10.5 takes `"to-tag": ""` for a real tag and creates an untagged
  // monologue that the answer (with the callee's tag) does not adopt, so the callee's RTP would
  // land on an orphan port (one-way audio towards a NATed callee; docs/nat-lab.md).
  if (receiver.tag !== '') req['to-tag'] = receiver.tag;
  if (!sender.trustSdpAddress && sender.sipSource !== undefined) {
    // received-from: the SIP source address, used as media address with SIP-source-address.
    req['received-from'] = [sender.sipSource.includes(':') ? 'IP6' : 'IP4', sender.sipSource];
  }
  // media-address: operator override of where this sender's media goes.
  if (sender.mediaAddress !== undefined) req['media-address'] = sender.mediaAddress;
  // record-call: yes records the whole call (PCAP); either leg asking is enough.
  if (sender.record || receiver.record) req['record-call'] = 'yes';
  return req;
}

function senderFlags(s: ResolvedLeg): string[] {
  const flags: string[] = [];
  // trust-address uses the SDP c= address; SIP-source-address ignores it for received-from.
  flags.push(s.trustSdpAddress ? 'trust-address' : 'SIP-source-address');
  // asymmetric disables endpoint learning. Symmetric RTP (send back where RTP comes from) is
  // rtpengine's default and has no ng flag: rtpengine 10.5 logs "Unknown flag" for `symmetric`.
  if (s.asymmetric) flags.push('asymmetric');
  // endpoint-learning-immediate: the signalled address is known to be wrong behind NAT, so
  // latch (and confirm) the first packet's source instead of the default "delayed" learning,
  // which keeps re-learning during its window. rtpengine 10.5 honours only the flag form.
  if (s.learnImmediately) flags.push('endpoint-learning-immediate');
  // strict-source: after learning, drop packets from any other source (no media hijacking).
  if (s.strictSource) flags.push('strict-source');
  // port-latching: keep our local ports when the peer's signalled port changes on a re-offer.
  if (s.portLatching) flags.push('port-latching');
  return flags;
}

/** What the receiver of an offer gets (written into `out`): transport protocol, ICE, crypto flavour, rtcp-mux. */
function towards(sender: ResolvedLeg, receiver: ResolvedLeg, out: NgOfferRequest): void {
  out.ICE = receiver.ice;
  const transport = receiverTransport(sender, receiver);
  // transport-protocol: rtpengine translates RTP/AVP <-> RTP/SAVP(F), encrypting as needed.
  if (transport !== undefined) out['transport-protocol'] = transport;
  if (isSecure(transport)) {
    // WebRTC requires DTLS-SRTP (SDES off); SIP SRTP peers use SDES a=crypto (DTLS off).
    if (receiver.kind === 'webrtc') out.SDES = ['off'];
    else out.DTLS = 'off';
  }
  // rtcp-mux: require towards WebRTC (no separate RTCP port); demux what a WebRTC sender muxes.
  if (receiver.kind === 'webrtc') out['rtcp-mux'] = ['require'];
  else if (sender.kind === 'webrtc') out['rtcp-mux'] = ['demux'];
}

/** A SIP phone is not handed WebRTC's SAVPF unless it asked for a protocol explicitly. */
function receiverTransport(sender: ResolvedLeg, receiver: ResolvedLeg): TransportProtocol | undefined {
  if (receiver.transport !== undefined) return receiver.transport;
  return sender.kind === 'webrtc' ? 'RTP/AVP' : undefined;
}
