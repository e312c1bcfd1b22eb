/**
 * Per-trunk admission limits (`trunks[].limits`): new calls per second and concurrent calls,
 * counted across all instances by a shared counter store (lib/state implements CallCounters; it is
 * defined here so the SBC depends only on the shape). Exceeding a limit answers
 * 503 Service Unavailable with Retry-After (RFC 3261 §21.5.4, §20.33).
 */
import type { HeaderField } from '../../sip';
import type { SlotHold } from './context';

export interface CallCounters {
  /** Take one of `max` concurrent-call slots on the trunk for this call; false when all are taken. */
  acquireCallSlot(trunk: string, callId: string, max: number): Promise<boolean>;
  releaseCallSlot(trunk: string, callId: string): Promise<void>;
  /** Take one new-call token at `limit` calls per second; false when the rate is exceeded. */
  takeCps(trunk: string, limit: number): Promise<boolean>;
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
 * slot. `maxCalls: 0` refuses every call without asking the store (a disabled trunk).
 */
export async function admitCall(
  counters: CallCounters,
  trunk: string,
  callId: string,
  limits: TrunkLimits,
  retryAfterSeconds = DEFAULT_RETRY_AFTER_SECONDS,
): Promise<LimitDecision> {
  if (limits.maxCalls === 0) return refuse('calls', retryAfterSeconds);
  if (limits.cps !== undefined && !(await counters.takeCps(trunk, limits.cps))) {
    return refuse('cps', retryAfterSeconds);
  }
  if (limits.maxCalls === undefined) return { kind: 'admit', hold: undefined };
  if (!(await counters.acquireCallSlot(trunk, callId, limits.maxCalls)))
    return refuse('calls', retryAfterSeconds);
  return { kind: 'admit', hold: { trunk, callId } };
}

/** Give back every slot in `holds` (idempotent: the list is emptied). */
export async function releaseSlots(counters: CallCounters, holds: SlotHold[]): Promise<void> {
  const taken = holds.splice(0, holds.length);
  await Promise.all(taken.map((hold) => counters.releaseCallSlot(hold.trunk, hold.callId)));
}
