/**
 * UPDATE inside an established call (RFC 3311), from either leg. With an offer it is anchored in
 * rtpengine towards the peer under the call's offer lock (§5.2: 491 while another offer is
 * pending), the peer's answer anchored back; a rejection goes back to the sender and rtpengine
 * is restored to the previous offer/answer. Without SDP (a target refresh or session refresh)
 * it is relayed as is and the peer's status returned.
 */
import type Srf from 'drachtio-srf';
import { toError } from '../../../util/errors';
import type { Call } from '../call';
import type { Leg } from '../leg';
import { dialogRequest, sendResponse, statusOf, viewOf } from '../srf-io';
import { restoreMedia } from './media-restore';
import { underOfferLock } from './offer-guard';

const SDP = { 'Content-Type': 'application/sdp' };

async function offerUpdate(call: Call, leg: Leg, req: Srf.SrfRequest, res: Srf.SrfResponse): Promise<void> {
  try {
    const offer = await call.media.offer(req.body, leg.media, leg.peer.media);
    const r = await dialogRequest(leg.peer.dialog, 'UPDATE', SDP, offer);
    if (r.status >= 200 && r.status < 300 && r.body) {
      const ours = await call.media.answer(r.body, leg.peer.media, leg.media);
      sendResponse(res, r.status, { body: ours, headers: SDP });
      leg.sdp = req.body;
      leg.peer.sdp = r.body;
      viewOf(leg.dialog).local.sdp = ours;
      viewOf(leg.dialog).remote.sdp = req.body;
      viewOf(leg.peer.dialog).local.sdp = offer;
      viewOf(leg.peer.dialog).remote.sdp = r.body;
      // A survivor taking the call over restores this exchange's SDPs (ADR 0007).
      await call.persist();
      return;
    }
    await restoreMedia(call, leg);
    sendResponse(res, r.status < 300 ? 488 : r.status, r.status < 300 ? {} : { reason: r.reason ?? '' });
  } catch (e) {
    call.log.info({ from: leg.name, err: toError(e).message }, 'UPDATE not completed; call stays up');
    await restoreMedia(call, leg);
    sendResponse(res, statusOf(e) ?? 500);
  }
}

export async function relayUpdate(
  call: Call,
  leg: Leg,
  req: Srf.SrfRequest,
  res: Srf.SrfResponse,
): Promise<void> {
  if (req.body) {
    await underOfferLock(call, leg, res, 'UPDATE', () => offerUpdate(call, leg, req, res));
    return;
  }
  try {
    const r = await dialogRequest(leg.peer.dialog, 'UPDATE', {}, undefined);
    sendResponse(res, r.status);
  } catch (e) {
    call.log.info({ from: leg.name, err: toError(e).message }, 'UPDATE not relayed');
    sendResponse(res, statusOf(e) ?? 500);
  }
}
