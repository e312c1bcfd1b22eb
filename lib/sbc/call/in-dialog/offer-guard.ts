/**
 * Runs one offer/answer exchange from a leg under the call's offer lock (offer-lock.ts): refuses
 * it with 491 / 500 + Retry-After on glare, else marks both legs busy until it is over.
 */
import type Srf from 'drachtio-srf';
import type { Call } from '../call';
import type { Leg } from '../leg';
import { sendResponse } from '../srf-io';
import { admitOffer } from './offer-lock';

export async function underOfferLock(
  call: Call,
  leg: Leg,
  res: Srf.SrfResponse,
  method: string,
  exchange: () => Promise<void>,
): Promise<void> {
  const decision = admitOffer(leg.offers, leg.peer.offers);
  if (decision.kind === 'refuse') {
    call.log.info({ from: leg.name, method, status: decision.status }, 'offer refused: exchange in progress');
    sendResponse(res, decision.status, {
      reason: decision.reason,
      ...(decision.retryAfterSeconds === undefined
        ? {}
        : { headers: { 'Retry-After': String(decision.retryAfterSeconds) } }),
    });
    return;
  }
  leg.offers.receiving = true;
  leg.peer.offers.sending = true;
  try {
    await exchange();
  } finally {
    leg.offers.receiving = false;
    leg.peer.offers.sending = false;
  }
}
