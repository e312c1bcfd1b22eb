/** One side of a call: its dialog, how its media is treated, and the leg on the other side. */
import type Srf from 'drachtio-srf';
import type { LegMediaProfile } from '../../media/leg-profile';
import { idleOffers, type OfferFlags } from './in-dialog/offer-lock';

export type LegName = 'caller' | 'callee';

export interface Leg {
  readonly name: LegName;
  readonly dialog: Srf.Dialog;
  media: LegMediaProfile;
  peer: Leg;
  /** Offer/answer exchanges in progress with this leg (glare detection). */
  readonly offers: OfferFlags;
  /**
   * The SDP this leg's endpoint sent in the last completed offer/answer exchange (as received,
   * before rtpengine): what rtpengine is restored to when a later exchange fails.
   */
  sdp: string;
}

/** Create the two legs of an answered call, each knowing its peer (no uas/uac ternaries). */
export function pairLegs(
  caller: { dialog: Srf.Dialog; media: LegMediaProfile },
  callee: { dialog: Srf.Dialog; media: LegMediaProfile },
): { caller: Leg; callee: Leg } {
  const a = newLeg('caller', caller);
  const b = newLeg('callee', callee);
  a.peer = b;
  b.peer = a;
  return { caller: a, callee: b };
}

/**
 * A leg as one literal of fixed shape, peer filled in by pairLegs: legs live as long as their
 * call, and a spread followed by fields the source lacks would give each its own V8 hidden class.
 */
function newLeg(name: LegName, side: { dialog: Srf.Dialog; media: LegMediaProfile }): Leg {
  return {
    name,
    dialog: side.dialog,
    media: side.media,
    peer: undefined as unknown as Leg,
    offers: idleOffers(),
    sdp: (side.dialog as unknown as { remote: { sdp?: string } }).remote.sdp ?? '',
  };
}
