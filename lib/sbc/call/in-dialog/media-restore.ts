/**
 * After a failed offer/answer exchange inside a call both endpoints keep the session they had
 * (RFC 3261 §14.1: "the session … is unchanged … as if the re-INVITE had never been issued";
 * RFC 3311 §5.2 likewise for UPDATE), but rtpengine has already seen the new offer. Re-offering
 * and re-answering the last SDPs both endpoints agreed on puts rtpengine back where it was (same
 * call-id and tags, so it keeps its ports and the endpoints need no new signalling).
 */
import { toError } from '../../../util/errors';
import type { Call } from '../call';
import type { Leg } from '../leg';

export async function restoreMedia(call: Call, offerer: Leg): Promise<boolean> {
  const answerer = offerer.peer;
  if (!offerer.sdp || !answerer.sdp) return false;
  try {
    await call.media.offer(offerer.sdp, offerer.media, answerer.media);
    await call.media.answer(answerer.sdp, answerer.media, offerer.media);
    call.log.info({ offerer: offerer.name }, 'media restored to the previous offer/answer');
    return true;
  } catch (e) {
    call.log.warn({ offerer: offerer.name, err: toError(e).message }, 'media not restored');
    return false;
  }
}
