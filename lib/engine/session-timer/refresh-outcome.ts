/**
 * What the refresher does with the final response to its own session refresh. Pure.
 *  - 2xx: refreshed (RFC 4028 §10), the timer restarts as the 2xx says;
 *  - 491: glare, RFC 3261 §14.1 — try again after a random delay: 2.1–4 s when this side
 *    generated the dialog's Call-ID (it sent the initial INVITE), 0–2 s otherwise, in 10 ms steps;
 *    at most MAX_REFRESH_GLARES times an interval, and never past the expiry: then give up
 *    refreshing and end the session when it expires (§10), unless the peer refreshes it first;
 *  - 405/501 to an UPDATE refresh: the peer does not do UPDATE — at once again as re-INVITE;
 *  - 422 with a larger Min-SE: RFC 4028 §7.4 — once, at once, with that Min-SE as the interval
 *    and in the Min-SE header of this and later refreshes;
 *  - anything else (and a second 422): the session cannot be kept, the call ends (§10).
 */
import { updateUnsupported, type RefreshMethod } from './refresh-method';

/**
 * 491s to our refreshes in one interval before we stop trying. RFC 3261 §14.1 sets no bound; a
 * peer that answers every refresh 491 (a broken glare state) would otherwise get one every 2–4 s
 * until the call ends. Three tries span at most ~12 s, well inside the 90 s minimum interval's
 * 45 s between our refresh and the expiry point; a peer with a real re-INVITE of its own refreshes
 * the session with that transaction's 2xx anyway (§10).
 */
export const MAX_REFRESH_GLARES = 3;

export type RefreshOutcome =
  | { kind: 'refreshed' }
  | { kind: 'retry'; afterSeconds: number; interval: number; minSe: number }
  | { kind: 'as-invite' }
  | { kind: 'give-up' }
  | { kind: 'end' };

export interface RefreshContext {
  interval: number;
  minSe: number;
  /** This side generated the Call-ID (its dialog role is uac). */
  ownsCallId: boolean;
  /** A 422 was already answered by a retry in this refresh. */
  retried422: boolean;
  /** Method of the refresh that got this response. */
  method: RefreshMethod;
  /** 491s earlier refreshes met in this interval (this response not counted). */
  glares: number;
  /** Seconds left until the session expiry point (session-timer-state.ts expirySeconds). */
  secondsToExpiry: number;
}

/** RFC 3261 §14.1 wait before re-sending a re-INVITE that got 491, in seconds. */
export function glareRetrySeconds(ownsCallId: boolean, random: () => number = Math.random): number {
  const [from, to] = ownsCallId ? [210, 400] : [0, 200]; // units of 10 ms
  return (from + Math.floor(random() * (to - from + 1))) / 100;
}

export function refreshOutcome(
  status: number,
  minSeHeader: number | undefined,
  ctx: RefreshContext,
  random: () => number = Math.random,
): RefreshOutcome {
  if (status >= 200 && status < 300) return { kind: 'refreshed' };
  if (status === 491) {
    const afterSeconds = glareRetrySeconds(ctx.ownsCallId, random);
    if (ctx.glares + 1 >= MAX_REFRESH_GLARES || afterSeconds >= ctx.secondsToExpiry)
      return { kind: 'give-up' };
    return { kind: 'retry', afterSeconds, interval: ctx.interval, minSe: ctx.minSe };
  }
  if (ctx.method === 'UPDATE' && updateUnsupported(status)) return { kind: 'as-invite' };
  if (status === 422 && !ctx.retried422 && minSeHeader !== undefined && minSeHeader > ctx.interval) {
    const minSe = Math.max(ctx.minSe, minSeHeader);
    return { kind: 'retry', afterSeconds: 0, interval: Math.max(ctx.interval, minSe), minSe };
  }
  return { kind: 'end' };
}
