/**
 * In-process StateStore for a single node and for tests: always reachable, state lives and dies
 * with the process. Values are copied through JSON so callers see exactly what Redis would give.
 */
import type { AlgSuspect } from './alg-suspects';
import type { Ban } from './bans';
import type { Binding, BindingIdentity } from './binding';
import type { CallRecord } from './call-record';
import type { InstanceRecord } from './instances';
import type { Admission, AdmissionRequest, LimitDecision } from './limits';
import { MemoryAlgSuspects } from './memory/memory-alg-suspects';
import { MemoryAuthAttempts } from './memory/memory-auth-attempts';
import { MemoryBans } from './memory/memory-bans';
import { MemoryBindings } from './memory/memory-bindings';
import { MemoryCalls } from './memory/memory-calls';
import { MemoryInstances } from './memory/memory-instances';
import { MemoryLimits } from './memory/memory-limits';
import { StateError } from './state-error';
import type { StateHealth, StateStore } from './state-store';

/** Runs a backend call so that a synchronous throw (bad argument) becomes a rejection. */
function settle<T>(fn: () => Promise<T>): Promise<T> {
  return new Promise<T>((resolve) => {
    resolve(fn());
  });
}

export interface MemoryStoreOptions {
  /** Wall clock in epoch milliseconds (default Date.now); injectable for tests. */
  now?: () => number;
}

export class MemoryStateStore implements StateStore {
  readonly kind = 'memory' as const;
  private open = false;
  private readonly listeners: ((h: StateHealth) => void)[] = [];
  private readonly calls: MemoryCalls;
  private readonly bindings: MemoryBindings;
  private readonly limits: MemoryLimits;
  private readonly bans: MemoryBans;
  private readonly algSuspects: MemoryAlgSuspects;
  private readonly instances: MemoryInstances;
  private readonly authAttempts: MemoryAuthAttempts;

  constructor(options: MemoryStoreOptions = {}) {
    const now = options.now ?? Date.now;
    this.calls = new MemoryCalls(now);
    this.bindings = new MemoryBindings(now);
    this.limits = new MemoryLimits(now);
    this.bans = new MemoryBans(now);
    this.algSuspects = new MemoryAlgSuspects(now);
    this.instances = new MemoryInstances(now);
    this.authAttempts = new MemoryAuthAttempts(now);
  }

  connect(): Promise<void> {
    this.open = true;
    this.emit({ up: true, detail: 'in-memory' });
    return Promise.resolve();
  }

  ping(): Promise<void> {
    return this.open
      ? Promise.resolve()
      : Promise.reject(new StateError('STATE_CLOSED', 'memory state store is not open'));
  }

  onHealth(listener: (h: StateHealth) => void): void {
    this.listeners.push(listener);
  }

  close(): Promise<void> {
    this.open = false;
    this.emit({ up: false, detail: 'closed' });
    return Promise.resolve();
  }

  putCall(call: CallRecord, ttlSeconds: number): Promise<void> {
    return settle(() => this.calls.putCall(call, ttlSeconds));
  }
  getCall(id: string): Promise<CallRecord | undefined> {
    return settle(() => this.calls.getCall(id));
  }
  findCallByDialog(callId: string, localTag: string): Promise<CallRecord | undefined> {
    return settle(() => this.calls.findCallByDialog(callId, localTag));
  }
  deleteCall(id: string): Promise<boolean> {
    return settle(() => this.calls.deleteCall(id));
  }
  listCallsByOwner(instanceId: string): Promise<CallRecord[]> {
    return settle(() => this.calls.listCallsByOwner(instanceId));
  }
  claimCall(id: string, fromOwner: string, toOwner: string, ttlSeconds: number): Promise<boolean> {
    return settle(() => this.calls.claimCall(id, fromOwner, toOwner, ttlSeconds));
  }

  putBinding(binding: Binding): Promise<void> {
    return settle(() => this.bindings.putBinding(binding));
  }
  removeBinding(aor: string, identity: BindingIdentity): Promise<boolean> {
    return settle(() => this.bindings.removeBinding(aor, identity));
  }
  getBindings(aor: string): Promise<Binding[]> {
    return settle(() => this.bindings.getBindings(aor));
  }
  expireBindings(): Promise<Binding[]> {
    return settle(() => this.bindings.expireBindings());
  }

  admitCall(request: AdmissionRequest): Promise<Admission> {
    return settle(() => this.limits.admitCall(request));
  }
  acquireCallSlot(trunk: string, callId: string, max: number, leaseSeconds: number): Promise<LimitDecision> {
    return settle(() => this.limits.acquireCallSlot(trunk, callId, max, leaseSeconds));
  }
  releaseCallSlot(trunk: string, callId: string): Promise<boolean> {
    return settle(() => this.limits.releaseCallSlot(trunk, callId));
  }
  callSlotsInUse(trunk: string): Promise<number> {
    return settle(() => this.limits.callSlotsInUse(trunk));
  }
  takeCps(trunk: string, limit: number): Promise<LimitDecision> {
    return settle(() => this.limits.takeCps(trunk, limit));
  }

  ban(address: string, seconds: number, reason: string): Promise<void> {
    return settle(() => this.bans.ban(address, seconds, reason));
  }
  unban(address: string): Promise<boolean> {
    return settle(() => this.bans.unban(address));
  }
  isBanned(address: string): Promise<boolean> {
    return settle(() => this.bans.isBanned(address));
  }
  listBans(): Promise<Ban[]> {
    return settle(() => this.bans.listBans());
  }

  putAlgSuspect(suspect: AlgSuspect, ttlSeconds: number): Promise<void> {
    return settle(() => this.algSuspects.putAlgSuspect(suspect, ttlSeconds));
  }
  listAlgSuspects(): Promise<AlgSuspect[]> {
    return settle(() => this.algSuspects.listAlgSuspects());
  }
  removeAlgSuspect(client: string): Promise<boolean> {
    return settle(() => this.algSuspects.removeAlgSuspect(client));
  }

  recordAuthFailure(key: string, windowSeconds: number): Promise<number> {
    return settle(() => this.authAttempts.recordAuthFailure(key, windowSeconds));
  }
  authFailures(key: string): Promise<number> {
    return settle(() => this.authAttempts.authFailures(key));
  }
  advanceNonceCount(nonce: string, nc: number, ttlSeconds: number): Promise<boolean> {
    return settle(() => this.authAttempts.advanceNonceCount(nonce, nc, ttlSeconds));
  }

  announceInstance(instance: InstanceRecord, ttlSeconds: number): Promise<void> {
    return settle(() => this.instances.announceInstance(instance, ttlSeconds));
  }
  getInstance(id: string): Promise<InstanceRecord | undefined> {
    return settle(() => this.instances.getInstance(id));
  }
  listInstances(): Promise<InstanceRecord[]> {
    return settle(() => this.instances.listInstances());
  }
  withdrawInstance(id: string): Promise<boolean> {
    return settle(() => this.instances.withdrawInstance(id));
  }

  private emit(h: StateHealth): void {
    for (const l of this.listeners) l(h);
  }
}
