/**
 * The steps connect.ts (trunk gateways) and connect-registered.ts (registered devices) share:
 * watching for the caller's CANCEL, failing the call when the caller's offer cannot be anchored,
 * and bridging the legs once an attempt is answered.
 */
import type Srf from 'drachtio-srf';
import { withTag, type LegMediaProfile } from '../../media/leg-profile';
import { toError } from '../../util/errors';
import type { SbcDeps } from '../sbc-deps';
import type { AttemptResult } from './attempt';
import type { Call } from './call';
import { pairLegs, type Leg } from './leg';
import { sendResponse, viewOf } from './srf-io';
import { wireInDialog } from './wire-in-dialog';

/** A flag the caller's CANCEL sets (RFC 3261 §9.1): the search for a callee stops. */
export function cancelFlag(req: Srf.SrfRequest): { cancelled: boolean } {
  const flag = { cancelled: false };
  req.on('cancel', () => {
    flag.cancelled = true;
  });
  return flag;
}

/** The caller's offer could not be anchored: its SIP status (500 by default) ends the call. */
export async function failMediaOffer(call: Call, res: Srf.SrfResponse, e: unknown): Promise<void> {
  const status = (e as { sipStatus?: number }).sipStatus ?? 500;
  call.log.warn({ err: toError(e).message }, 'media offer failed');
  sendResponse(res, status);
  await call.end('system', 'media-offer-failed', status);
}

export interface BridgeOptions {
  /** Called once the legs are paired and wired, before the call counts as established. */
  onPaired?: (legs: { caller: Leg; callee: Leg }) => void;
  /** Log fields for a warning when the 2xx carried no answer (no warning without them). */
  noAnswerLog?: Record<string, unknown>;
}

/**
 * Pair the answered attempt's legs, hand them to the in-dialog relays and mark the call
 * established. A 2xx without an answer to our offer (RFC 3264 §5 violation) leaves no media
 * path: the call cannot go on, so both legs get a BYE at once.
 */
export async function bridgeAnswered(
  deps: SbcDeps,
  call: Call,
  result: Extract<AttemptResult, { kind: 'answered' }>,
  caller: LegMediaProfile,
  callee: LegMediaProfile,
  o: BridgeOptions = {},
): Promise<void> {
  const legs = pairLegs(
    { dialog: result.uas, media: caller },
    { dialog: result.uac, media: withTag(callee, viewOf(result.uac).sip.remoteTag) },
  );
  wireInDialog(deps, call, legs);
  o.onPaired?.(legs);
  await call.established(legs);
  if (!viewOf(result.uac).remote.sdp) {
    if (o.noAnswerLog) call.log.warn(o.noAnswerLog, 'callee answered without SDP: ending the call');
    await call.end('system', 'no-answer-sdp', 502);
  }
}
