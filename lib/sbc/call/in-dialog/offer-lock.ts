/**
 * One offer/answer exchange at a time per call (RFC 3264 §4: no new offer while one is
 * outstanding). Each leg records whether an INVITE/UPDATE-with-offer we sent to it is in progress
 * (`sending`) and whether one it sent to us is still unanswered (`receiving`). A new offer from a
 * leg is refused:
 *  - 491 Request Pending when we have an offer in progress towards that leg — glare, RFC 3261
 *    §14.1 (re-INVITE) and RFC 3311 §5.2 (UPDATE); the sender retries after its random delay;
 *  - 500 with Retry-After when that leg's own earlier offer is still unanswered, RFC 3261 §14.2;
 *  - 491 when the other leg is in the middle of an exchange (through a B2BUA the two legs share
 *    one media session, so the exchanges would cross in rtpengine).
 * Pure: the relays set and clear the flags around each exchange.
 */

export interface OfferFlags {
  /** An offer we sent to this leg awaits its final response. */
  sending: boolean;
  /** An offer this leg sent us awaits our final response. */
  receiving: boolean;
}

export const idleOffers = (): OfferFlags => ({ sending: false, receiving: false });

export type OfferDecision =
  { kind: 'admit' } | { kind: 'refuse'; status: 491 | 500; reason: string; retryAfterSeconds?: number };

/** May `from` start an offer towards its peer now? */
export function admitOffer(
  from: OfferFlags,
  peer: OfferFlags,
  random: () => number = Math.random,
): OfferDecision {
  if (from.sending) return { kind: 'refuse', status: 491, reason: 'Request Pending' };
  if (from.receiving) {
    // §14.2: "Retry-After … randomly chosen value between 0 and 10 seconds".
    return {
      kind: 'refuse',
      status: 500,
      reason: 'Offer In Progress',
      retryAfterSeconds: Math.floor(random() * 11),
    };
  }
  if (peer.sending || peer.receiving) return { kind: 'refuse', status: 491, reason: 'Request Pending' };
  return { kind: 'admit' };
}
