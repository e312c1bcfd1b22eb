/**
 * What a session timer does when it fires (RFC 4028 §10). Pure.
 *  - the peer refreshes and none arrived in time: end the session (BYE, `Session timer expired`);
 *  - we gave up refreshing (refresh-outcome.ts) and the expiry point came: end it too;
 *  - we refresh, but an INVITE or UPDATE of the dialog (the app's or the peer's) has no final
 *    response yet: wait (RFC 3261 §14.1: no new INVITE transaction while one is in progress in
 *    either direction; RFC 3311 §5.1: no new offer while one is outstanding). Its 2xx will be the
 *    refresh (§10: a 2xx to any re-INVITE/UPDATE refreshes the session); when it fails we refresh
 *    then; when it is still pending at the expiry point, the session ends;
 *  - otherwise: send our refresh.
 */

/** How often a waiting refresh looks again whether the dialog's transaction ended, in seconds. */
export const DEFER_SECONDS = 1;

export interface TimerView {
  weRefresh: boolean;
  gaveUp: boolean;
  /** An INVITE/UPDATE of the dialog awaits its final response (or our 2xx its ACK). */
  offerPending: boolean;
  /** Seconds left until the expiry point of the current interval (may be ≤ 0). */
  secondsToExpiry: number;
}

export type TimerAction = { kind: 'expire' } | { kind: 'defer'; afterSeconds: number } | { kind: 'refresh' };

export function timerAction(v: TimerView): TimerAction {
  if (!v.weRefresh || v.gaveUp) return { kind: 'expire' };
  if (!v.offerPending) return { kind: 'refresh' };
  if (v.secondsToExpiry <= 0) return { kind: 'expire' };
  return { kind: 'defer', afterSeconds: Math.min(DEFER_SECONDS, v.secondsToExpiry) };
}
