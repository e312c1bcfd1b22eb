/**
 * An offer inside an established call (re-INVITE, or UPDATE with SDP — RFC 3311): anchored in
 * rtpengine towards the peer, sent on the peer's dialog, its answer anchored back and returned.
 * A failure (incl. 491 glare, RFC 3261 §14.1: the sender retries) is returned to the offerer and
 * the call stays up; an offer-less re-INVITE is answered with our current SDP.
 */
import type Srf from 'drachtio-srf';
import { toError } from '../../../util/errors';
import type { Call } from '../call';
import type { Leg } from '../leg';
import { dialogRequest, sendResponse, statusOf, viewOf } from '../srf-io';

export async function relayReinvite(
  call: Call,
  leg: Leg,
  req: Srf.SrfRequest,
  res: Srf.SrfResponse,
): Promise<void> {
  if (!req.body) {
    sendResponse(res, 200, {
      body: viewOf(leg.dialog).local.sdp,
      headers: { 'Content-Type': 'application/sdp' },
    });
    return;
  }
  try {
    const offer = await call.media.offer(req.body, leg.media, leg.peer.media);
    const answer = await leg.peer.dialog.modify(offer);
    const ours = await call.media.answer(answer, leg.peer.media, leg.media);
    sendResponse(res, 200, { body: ours, headers: { 'Content-Type': 'application/sdp' } });
    await call.persist();
  } catch (e) {
    const status = statusOf(e) ?? 500;
    call.log.info(
      { from: leg.name, status, err: toError(e).message },
      're-INVITE not completed; call stays up',
    );
    sendResponse(res, status >= 300 ? status : 500);
  }
}

export async function relayUpdate(
  call: Call,
  leg: Leg,
  req: Srf.SrfRequest,
  res: Srf.SrfResponse,
): Promise<void> {
  try {
    if (!req.body) {
      const r = await dialogRequest(leg.peer.dialog, 'UPDATE', {}, undefined);
      sendResponse(res, r.status);
      return;
    }
    const offer = await call.media.offer(req.body, leg.media, leg.peer.media);
    const r = await dialogRequest(leg.peer.dialog, 'UPDATE', { 'Content-Type': 'application/sdp' }, offer);
    if (r.status >= 200 && r.status < 300 && r.body) {
      const ours = await call.media.answer(r.body, leg.peer.media, leg.media);
      sendResponse(res, r.status, { body: ours, headers: { 'Content-Type': 'application/sdp' } });
      return;
    }
    sendResponse(res, r.status);
  } catch (e) {
    call.log.info({ from: leg.name, err: toError(e).message }, 'UPDATE not completed; call stays up');
    sendResponse(res, statusOf(e) ?? 500);
  }
}
