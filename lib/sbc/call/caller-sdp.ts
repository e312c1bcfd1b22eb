/**
 * How the caller's INVITE is bridged to rtpengine for the callee attempts. With an offer (the
 * usual case) it is anchored once, up front, and each callee's answer is anchored back. Without
 * one — a late offer, RFC 3261 §13.2.1 / RFC 3264 §5 — the callee gets an INVITE without SDP: its
 * 18x/2xx carries the offer, anchored towards the caller, and the caller's ACK carries the answer,
 * anchored back for the ACK to the callee.
 */
import { withTag, type LegMediaProfile } from '../../media/leg-profile';
import type { Call } from './call';

export interface CallerSdp {
  /** '' for a late offer. */
  offerSdp: string;
  /** The callee's SDP (answer, or offer for a late offer) → the SDP for the caller. */
  answerSdp: (sdp: string, calleeTag: string) => Promise<string>;
  /** Late offer only: the caller's answer from its ACK → the SDP for the callee's ACK. */
  ackAnswer: ((sdp: string) => Promise<string>) | undefined;
}

export async function callerSdp(
  call: Call,
  body: string,
  caller: LegMediaProfile,
  callee: LegMediaProfile,
): Promise<CallerSdp> {
  if (body) {
    return {
      offerSdp: await call.media.offer(body, caller, callee),
      answerSdp: (sdp, calleeTag) => call.media.answer(sdp, withTag(callee, calleeTag), caller),
      ackAnswer: undefined,
    };
  }
  let offerer = callee;
  return {
    offerSdp: '',
    answerSdp: (sdp, calleeTag) => {
      offerer = withTag(callee, calleeTag);
      return call.media.offer(sdp, offerer, caller);
    },
    ackAnswer: (sdp) => call.media.answer(sdp, caller, offerer),
  };
}
