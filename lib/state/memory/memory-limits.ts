/** In-process admission counters; atomic because nothing awaits between check and update. */
import type { Admission, AdmissionRequest, LimitDecision, LimitStore } from '../limits';
import { requirePositive, secondsToMs } from '../state-error';
import { ExpiringMap } from './expiring-map';

const CPS_WINDOW_MS = 1000;

export class MemoryLimits implements LimitStore {
  private readonly slots = new Map<string, ExpiringMap<string, true>>();
  private readonly admitted = new Map<string, number[]>();

  constructor(private readonly now: () => number) {}

  admitCall(r: AdmissionRequest): Promise<Admission> {
    const leaseMs = secondsToMs('leaseSeconds', r.leaseSeconds);
    if (r.cps !== undefined) requirePositive('cps', r.cps);
    if (r.maxCalls !== undefined) requirePositive('maxCalls', r.maxCalls);
    if (r.cps !== undefined) {
      const rate = this.cps(r.trunk, r.cps);
      if (!rate.granted) return Promise.resolve({ admitted: false, limit: 'cps', inUse: rate.inUse });
    }
    if (r.maxCalls === undefined) return Promise.resolve({ admitted: true, slot: false });
    const slot = this.acquire(r.trunk, r.callId, r.maxCalls, leaseMs);
    return Promise.resolve(
      slot.granted ? { admitted: true, slot: true } : { admitted: false, limit: 'calls', inUse: slot.inUse },
    );
  }

  acquireCallSlot(trunk: string, callId: string, max: number, leaseSeconds: number): Promise<LimitDecision> {
    const leaseMs = secondsToMs('leaseSeconds', leaseSeconds);
    requirePositive('max', max);
    return Promise.resolve(this.acquire(trunk, callId, max, leaseMs));
  }

  releaseCallSlot(trunk: string, callId: string): Promise<boolean> {
    return Promise.resolve(this.slots.get(trunk)?.delete(callId) ?? false);
  }

  callSlotsInUse(trunk: string): Promise<number> {
    return Promise.resolve(this.slots.get(trunk)?.size ?? 0);
  }

  takeCps(trunk: string, limit: number): Promise<LimitDecision> {
    requirePositive('limit', limit);
    return Promise.resolve(this.cps(trunk, limit));
  }

  private acquire(trunk: string, callId: string, max: number, leaseMs: number): LimitDecision {
    const held = this.trunkSlots(trunk);
    held.sweep();
    const granted = held.get(callId) !== undefined || held.size < max;
    if (granted) held.set(callId, true, this.now() + leaseMs);
    return { granted, inUse: held.size };
  }

  private cps(trunk: string, limit: number): LimitDecision {
    const now = this.now();
    const recent = (this.admitted.get(trunk) ?? []).filter((t) => t > now - CPS_WINDOW_MS);
    const granted = recent.length < limit;
    if (granted) recent.push(now);
    this.admitted.set(trunk, recent);
    return { granted, inUse: recent.length };
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
