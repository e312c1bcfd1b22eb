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

/** One call's admission on one trunk: the trunk's limits that apply (absent: not limited). */
export interface AdmissionRequest {
  readonly trunk: string;
  readonly callId: string;
  /** New calls per second. */
  readonly cps?: number | undefined;
  /** Concurrent calls: a slot is taken for `callId` with a lease of `leaseSeconds`. */
  readonly maxCalls?: number | undefined;
  readonly leaseSeconds: number;
}

export type Admission =
  /** `slot`: the call now holds a concurrent-call slot (maxCalls was given). */
  | { readonly admitted: true; readonly slot: boolean }
  /** `inUse`: admissions in the window (cps) or slots held (calls) when refused. */
  | { readonly admitted: false; readonly limit: 'cps' | 'calls'; readonly inUse: number };

export interface LimitStore {
  /**
   * takeCps then acquireCallSlot as one atomic step (one round trip to a shared backend): a call
   * over the rate takes nothing; a call refused a slot keeps the rate token it took, as the two
   * separate steps would.
   */
  admitCall(request: AdmissionRequest): Promise<Admission>;
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
