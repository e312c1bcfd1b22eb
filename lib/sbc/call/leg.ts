/** One side of a call: its dialog, how its media is treated, and the leg on the other side. */
import type Srf from 'drachtio-srf';
import type { LegMediaProfile } from '../../media/leg-profile';

export type LegName = 'caller' | 'callee';

export interface Leg {
  readonly name: LegName;
  readonly dialog: Srf.Dialog;
  media: LegMediaProfile;
  peer: Leg;
}

/** Create the two legs of an answered call, each knowing its peer (no uas/uac ternaries). */
export function pairLegs(
  caller: { dialog: Srf.Dialog; media: LegMediaProfile },
  callee: { dialog: Srf.Dialog; media: LegMediaProfile },
): { caller: Leg; callee: Leg } {
  const a = { name: 'caller', ...caller } as Leg;
  const b = { name: 'callee', ...callee } as Leg;
  (a as { peer: Leg }).peer = b;
  (b as { peer: Leg }).peer = a;
  return { caller: a, callee: b };
}
