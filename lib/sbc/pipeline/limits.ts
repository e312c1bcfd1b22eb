/**
 * Per-trunk admission limits (`trunks[].limits`): new calls per second and concurrent calls,
 * counted across all instances by a shared counter store (lib/state implements CallCounters; it is
 * defined here so the SBC depends only on the shape). Exceeding a limit answers
 * 503 Service Unavailable with Retry-After (RFC 3261 §21.5.4, §20.33).
 */
import type { HeaderField } from '../../sip';
import type { SlotHold } from './context';

export interface CallCounters {
  /**
   * Admit one call on the trunk in one step (one round trip to a shared store): a new-call token
   * at `limits.cps` calls per second (refused: nothing is taken), then one of `limits.maxCalls`
   * concurrent-call slots for `callId`. Absent limits are not checked.
   */
  admit(trunk: string, callId: string, limits: TrunkLimits): Promise<'admitted' | 'cps' | 'calls'>;
  /** Take, or renew the lease of, one of `max` concurrent-call slots; false when all are taken. */
  acquireCallSlot(trunk: string, callId: string, max: number): Promise<boolean>;
  releaseCallSlot(trunk: string, callId: string): Promise<void>;
}

export interface TrunkLimits {
  maxCalls?: number | undefined;
  cps?: number | undefined;
}

export type LimitDecision =
  | { kind: 'admit'; hold: SlotHold | undefined }
  | { kind: 'refuse'; status: 503; reason: string; limit: 'cps' | 'calls'; headers: readonly HeaderField[] };

/** Seconds a refused caller is asked to wait before retrying. */
export const DEFAULT_RETRY_AFTER_SECONDS = 1;

function refuse(limit: 'cps' | 'calls', retryAfter: number): LimitDecision {
  const reason = limit === 'cps' ? 'Trunk Call Rate Exceeded' : 'Trunk Call Limit Reached';
  return { kind: 'refuse', status: 503, reason, limit, headers: [['Retry-After', String(retryAfter)]] };
}

/**
 * Check the CPS limit first (so a refused call never holds a slot), then take a concurrent-call
 * slot, in one store operation. `maxCalls: 0` refuses every call without asking the store (a
 * disabled trunk). When the store fails, a slot it may have granted all the same (the answer was
 * lost, not the command) is given back before the error goes on: no slot leaks to its lease.
 */
export async function admitCall(
  counters: CallCounters,
  trunk: string,
  callId: string,
  limits: TrunkLimits,
  retryAfterSeconds = DEFAULT_RETRY_AFTER_SECONDS,
): Promise<LimitDecision> {
  if (limits.maxCalls === 0) return refuse('calls', retryAfterSeconds);
  if (limits.cps === undefined && limits.maxCalls === undefined) return { kind: 'admit', hold: undefined };
  let outcome: 'admitted' | 'cps' | 'calls';
  try {
    outcome = await counters.admit(trunk, callId, limits);
  } catch (e) {
    // Not awaited: the store has the release (and replays it once back if it is unreachable now).
    if (limits.maxCalls !== undefined) void counters.releaseCallSlot(trunk, callId).catch(() => undefined);
    throw e;
  }
  if (outcome !== 'admitted') return refuse(outcome, retryAfterSeconds);
  return { kind: 'admit', hold: limits.maxCalls === undefined ? undefined : { trunk, callId } };
}

/** Give back every slot in `holds` (idempotent: the list is emptied). */
export async function releaseSlots(counters: CallCounters, holds: SlotHold[]): Promise<void> {
  const taken = holds.splice(0, holds.length);
  await Promise.all(taken.map((hold) => counters.releaseCallSlot(hold.trunk, hold.callId)));
}
