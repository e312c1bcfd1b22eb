/** In-process admission counters; atomic because nothing awaits between check and update. */
import type { LimitDecision, LimitStore } from '../limits';
import { requirePositive, secondsToMs } from '../state-error';
import { ExpiringMap } from './expiring-map';

const CPS_WINDOW_MS = 1000;

export class MemoryLimits implements LimitStore {
  private readonly slots = new Map<string, ExpiringMap<string, true>>();
  private readonly admitted = new Map<string, number[]>();

  constructor(private readonly now: () => number) {}

  acquireCallSlot(trunk: string, callId: string, max: number, leaseSeconds: number): Promise<LimitDecision> {
    const leaseMs = secondsToMs('leaseSeconds', leaseSeconds);
    requirePositive('max', max);
    const held = this.trunkSlots(trunk);
    held.sweep();
    const granted = held.get(callId) !== undefined || held.size < max;
    if (granted) held.set(callId, true, this.now() + leaseMs);
    return Promise.resolve({ granted, inUse: held.size });
  }

  releaseCallSlot(trunk: string, callId: string): Promise<boolean> {
    return Promise.resolve(this.slots.get(trunk)?.delete(callId) ?? false);
  }

  callSlotsInUse(trunk: string): Promise<number> {
    return Promise.resolve(this.slots.get(trunk)?.size ?? 0);
  }

  takeCps(trunk: string, limit: number): Promise<LimitDecision> {
    requirePositive('limit', limit);
    const now = this.now();
    const recent = (this.admitted.get(trunk) ?? []).filter((t) => t > now - CPS_WINDOW_MS);
    const granted = recent.length < limit;
    if (granted) recent.push(now);
    this.admitted.set(trunk, recent);
    return Promise.resolve({ granted, inUse: recent.length });
  }

  private trunkSlots(trunk: string): ExpiringMap<string, true> {
    let held = this.slots.get(trunk);
    if (!held) {
      held = new ExpiringMap(this.now);
      this.slots.set(trunk, held);
    }
    return held;
  }
}
