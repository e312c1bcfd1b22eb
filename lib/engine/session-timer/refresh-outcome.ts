/**
 * What the refresher does with the final response to its own session refresh re-INVITE. Pure.
 *  - 2xx: refreshed (RFC 4028 §10), the timer restarts as the 2xx says;
 *  - 491: glare, RFC 3261 §14.1 — try again after a random delay: 2.1–4 s when this side
 *    generated the dialog's Call-ID (it sent the initial INVITE), 0–2 s otherwise, in 10 ms steps;
 *  - 422 with a larger Min-SE: RFC 4028 §7.4 — once, at once, with that Min-SE as the interval
 *    and in the Min-SE header of this and later refreshes;
 *  - anything else (and a second 422): the session cannot be kept, the call ends (§10).
 */
export type RefreshOutcome =
  | { kind: 'refreshed' }
  | { kind: 'retry'; afterSeconds: number; interval: number; minSe: number }
  | { kind: 'end' };

export interface RefreshContext {
  interval: number;
  minSe: number;
  /** This side generated the Call-ID (its dialog role is uac). */
  ownsCallId: boolean;
  /** A 422 was already answered by a retry in this refresh. */
  retried422: boolean;
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
  if (status === 491)
    return {
      kind: 'retry',
      afterSeconds: glareRetrySeconds(ctx.ownsCallId, random),
      interval: ctx.interval,
      minSe: ctx.minSe,
    };
  if (status === 422 && !ctx.retried422 && minSeHeader !== undefined && minSeHeader > ctx.interval) {
    const minSe = Math.max(ctx.minSe, minSeHeader);
    return { kind: 'retry', afterSeconds: 0, interval: Math.max(ctx.interval, minSe), minSe };
  }
  return { kind: 'end' };
}
