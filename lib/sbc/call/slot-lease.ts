/**
 * Keeps a call's concurrent-call slots alive. Slots are leased (a crashed instance's slots age
 * out, lib/state/limits.ts); asking again for a slot the call already holds renews its lease, so
 * a call renews every `intervalMs` — well inside the lease — for as long as it lasts.
 */
import type { Clock } from '../../util/clock';
import { RepeatingTask } from '../../util/repeating-task';
import { toError } from '../../util/errors';
import type { Log } from '../../util/logger';
import type { TrunkConfig } from '../../config';
import type { SlotHold } from '../pipeline/context';
import type { CallCounters } from '../pipeline/limits';

/** Renewal period; the lease (CALL_SLOT_LEASE_SECONDS, 300 s) survives two missed renewals. */
export const SLOT_RENEW_INTERVAL_MS = 90_000;

export interface SlotLease {
  stop(): void;
}

export interface SlotLeaseOptions {
  counters: CallCounters;
  /** The call's holds; read at every renewal (released holds are gone from it). */
  holds: readonly SlotHold[];
  /** The trunks the holds may be on, for their `limits.maxCalls`. */
  trunks: readonly (TrunkConfig | undefined)[];
  clock: Clock;
  log: Log;
  intervalMs?: number;
}

function maxCallsOf(trunks: SlotLeaseOptions['trunks'], name: string): number | undefined {
  return trunks.find((t) => t?.name === name)?.limits.maxCalls;
}

export function renewSlotLeases(o: SlotLeaseOptions): SlotLease {
  const lease = new Lease(o);
  lease.start();
  return lease;
}

/** One object per held call, its methods shared. */
class Lease extends RepeatingTask implements SlotLease {
  constructor(private readonly o: SlotLeaseOptions) {
    super(o.clock);
  }

  protected delayMs(): number {
    return this.o.intervalMs ?? SLOT_RENEW_INTERVAL_MS;
  }

  protected async run(): Promise<void> {
    const o = this.o;
    for (const hold of [...o.holds]) {
      const max = maxCallsOf(o.trunks, hold.trunk);
      if (max === undefined || max <= 0) continue;
      try {
        const kept = await o.counters.acquireCallSlot(hold.trunk, hold.callId, max);
        // Only when the lease had already run out and the trunk filled up meanwhile: the call
        // goes on (ending it would hurt more), but the operator should know.
        if (!kept) o.log.warn({ trunk: hold.trunk }, 'call slot lost: trunk over its limit');
      } catch (e) {
        o.log.warn({ trunk: hold.trunk, err: toError(e).message }, 'call slot lease not renewed');
      }
    }
  }
}
