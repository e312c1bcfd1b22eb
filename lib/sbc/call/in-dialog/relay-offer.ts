/**
 * A re-INVITE inside an established call, from either leg, relayed to the other (RFC 3261 §14):
 *  - with an offer: anchored in rtpengine towards the peer, sent on the peer's dialog, the answer
 *    anchored back and returned in our 200;
 *  - without an offer (RFC 3261 §14.1, RFC 3264 §5 "offer in the 2xx, answer in the ACK"): an
 *    offerless re-INVITE to the peer, whose 2xx offer is anchored towards the leg; the leg's ACK
 *    answer is anchored back and sent in our ACK to the peer.
 * A failure (e.g. 488, or 491 glare from the peer) goes back to the sender with its status, the
 * call stays up and rtpengine is restored to the previous offer/answer. Glare on our side is
 * refused by the offer lock (offer-guard.ts).
 */
import type Srf from 'drachtio-srf';
import { toError } from '../../../util/errors';
import type { Call } from '../call';
import type { Leg } from '../leg';
import { dialogInvite, nextAck, sendResponse, statusOf, viewOf } from '../srf-io';
import { restoreMedia } from './media-restore';
import { underOfferLock } from './offer-guard';

const SDP = { 'Content-Type': 'application/sdp' };
/** How long the leg has to ACK our 2xx carrying an offer (RFC 3261 §13.3.1.4: 64·T1). */
const ACK_WAIT_MS = 32_000;

/** Record a completed exchange: what each endpoint sent and what each dialog now holds. */
function settled(leg: Leg, legSdp: string, toLeg: string, peerSdp: string, toPeer: string): void {
  leg.sdp = legSdp;
  leg.peer.sdp = peerSdp;
  viewOf(leg.dialog).local.sdp = toLeg;
  viewOf(leg.dialog).remote.sdp = legSdp;
  viewOf(leg.peer.dialog).local.sdp = toPeer;
  viewOf(leg.peer.dialog).remote.sdp = peerSdp;
}

function failure(call: Call, leg: Leg, res: Srf.SrfResponse, status: number, reason?: string): void {
  call.log.info({ from: leg.name, status, reason }, 're-INVITE not completed; call stays up');
  sendResponse(res, status >= 300 ? status : 500, reason ? { reason } : {});
}

async function withOffer(call: Call, leg: Leg, req: Srf.SrfRequest, res: Srf.SrfResponse): Promise<void> {
  const offer = await call.media.offer(req.body, leg.media, leg.peer.media);
  const { res: r } = await dialogInvite(leg.peer.dialog, SDP, offer);
  if (r.status < 300 && r.body) {
    const ours = await call.media.answer(r.body, leg.peer.media, leg.media);
    sendResponse(res, 200, { body: ours, headers: SDP });
    settled(leg, req.body, ours, r.body, offer);
    await call.persist();
    return;
  }
  await restoreMedia(call, leg);
  // A 2xx without the answer to our offer (RFC 3264 §5 violation): the peer keeps its old session.
  failure(call, leg, res, r.status < 300 ? 488 : r.status, r.status < 300 ? 'No Answer From Peer' : r.reason);
}

async function withoutOffer(call: Call, leg: Leg, res: Srf.SrfResponse): Promise<void> {
  const { res: r, ack } = await dialogInvite(leg.peer.dialog, {}, undefined);
  if (r.status >= 300 || !ack) {
    failure(call, leg, res, r.status, r.reason);
    return;
  }
  const peerOffer = r.body ?? '';
  let answered = false;
  try {
    if (!peerOffer) throw new Error('the peer’s 2xx carries no offer');
    const toLeg = await call.media.offer(peerOffer, leg.peer.media, leg.media);
    sendResponse(res, 200, { body: toLeg, headers: SDP });
    const legAnswer = await nextAck(leg.dialog, ACK_WAIT_MS);
    if (!legAnswer) throw new Error('the ACK carries no answer');
    const toPeer = await call.media.answer(legAnswer, leg.media, leg.peer.media);
    ack(toPeer);
    answered = true;
    settled(leg, legAnswer, toLeg, peerOffer, toPeer);
    await call.persist();
  } finally {
    if (!answered) {
      // The peer still needs its ACK (RFC 3261 §13.2.2.4): with the answer it had before.
      ack(viewOf(leg.peer.dialog).local.sdp);
      await restoreMedia(call, leg.peer);
    }
  }
}

export async function relayReinvite(
  call: Call,
  leg: Leg,
  req: Srf.SrfRequest,
  res: Srf.SrfResponse,
): Promise<void> {
  await underOfferLock(call, leg, res, 'INVITE', async () => {
    try {
      if (req.body) await withOffer(call, leg, req, res);
      else await withoutOffer(call, leg, res);
    } catch (e) {
      call.log.info({ from: leg.name, err: toError(e).message }, 're-INVITE failed');
      if (!(res as unknown as { finalResponseSent?: boolean }).finalResponseSent) {
        await restoreMedia(call, leg);
        failure(call, leg, res, statusOf(e) ?? 500);
      }
    }
  });
}
