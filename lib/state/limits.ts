/**
 * Per-trunk admission counters, global across instances when the backend is shared:
 * concurrent calls (a set of call ids, each with its own lease so a crashed instance's slots age
 * out) and calls per second (a sliding one-second window).
 */

export interface LimitDecision {
  readonly granted: boolean;
  /** Slots / calls in the window after the decision (including this one when granted). */
  readonly inUse: number;
}

export interface LimitStore {
  /**
   * Take a concurrent-call slot for `callId` on `trunk` if fewer than `max` are held. Asking again
   * for a call that already holds a slot renews its lease and is always granted.
   */
  acquireCallSlot(trunk: string, callId: string, max: number, leaseSeconds: number): Promise<LimitDecision>;
  /** False if the call held no slot. */
  releaseCallSlot(trunk: string, callId: string): Promise<boolean>;
  /** Slots currently held (unexpired) on a trunk. */
  callSlotsInUse(trunk: string): Promise<number>;
  /** Admit one call attempt if fewer than `limit` were admitted in the last second. */
  takeCps(trunk: string, limit: number): Promise<LimitDecision>;
}
