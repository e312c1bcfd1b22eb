/**
 * Redis-backed StateStore (ioredis): standalone URL, Sentinel or Cluster. ioredis reconnects by
 * itself; its connection state is surfaced as health so readiness follows Redis. Every operation
 * either succeeds or rejects with a StateError (STATE_UNREACHABLE, SIP 503, when Redis is gone or
 * slower than commandTimeoutMs), never hangs or throws anything else. Key layout: redis/keys.ts.
 */
import { toError } from '../util/errors';
import type { Log } from '../util/logger';
import type { AlgSuspect } from './alg-suspects';
import type { Ban } from './bans';
import type { Binding, BindingIdentity } from './binding';
import type { CallRecord } from './call-record';
import type { InstanceRecord } from './instances';
import type { Admission, AdmissionRequest, LimitDecision } from './limits';
import { createClient, type RedisClient, type RedisClientOptions } from './redis/client';
import { toStateError } from './redis/guard';
import { PendingCleanups, type Cleanup } from './redis/pending-cleanup';
import { RedisAlgSuspects } from './redis/redis-alg-suspects';
import { RedisAuthAttempts } from './redis/redis-auth-attempts';
import { RedisBans } from './redis/redis-bans';
import { RedisBindings } from './redis/redis-bindings';
import { RedisCalls } from './redis/redis-calls';
import { RedisInstances } from './redis/redis-instances';
import { RedisLimits } from './redis/redis-limits';
import type { StateHealth, StateStore } from './state-store';

export type { RedisTarget } from './redis/client';

export interface RedisStoreOptions extends RedisClientOptions {
  log: Log;
  /** Wall clock in epoch milliseconds (default Date.now). */
  now?: () => number;
}

export class RedisStateStore implements StateStore {
  readonly kind = 'redis' as const;
  private readonly client: RedisClient;
  private readonly listeners: ((h: StateHealth) => void)[] = [];
  private closed = false;
  private readonly calls: RedisCalls;
  private readonly bindings: RedisBindings;
  private readonly limits: RedisLimits;
  private readonly bans: RedisBans;
  /** Record deletions and slot releases that failed while Redis was away, replayed on 'ready'. */
  private readonly cleanups: PendingCleanups;
  private readonly algSuspects: RedisAlgSuspects;
  private readonly instances: RedisInstances;
  private readonly authAttempts: RedisAuthAttempts;

  constructor(private readonly o: RedisStoreOptions) {
    const now = o.now ?? Date.now;
    this.client = createClient(o);
    this.cleanups = new PendingCleanups(
      (c) =>
        c.kind === 'deleteCall'
          ? this.calls.deleteCall(c.id)
          : this.limits.releaseCallSlot(c.trunk, c.callId),
      o.log,
    );
    this.client.on('ready', () => {
      this.emit({ up: true, detail: 'connected' });
      void this.cleanups.flush();
    });
    this.client.on('close', () => {
      this.emit({ up: false, detail: 'connection closed' });
    });
    this.client.on('error', (e: unknown) => {
      o.log.warn({ err: toError(e) }, 'redis error');
    });
    this.calls = new RedisCalls(this.client, now, !('cluster' in o.target));
    this.bindings = new RedisBindings(this.client, now);
    this.limits = new RedisLimits(this.client);
    this.bans = new RedisBans(this.client, now);
    this.algSuspects = new RedisAlgSuspects(this.client, now);
    this.instances = new RedisInstances(this.client, now);
    this.authAttempts = new RedisAuthAttempts(this.client);
  }

  /** Rejects with STATE_UNREACHABLE if Redis cannot be reached; ioredis keeps retrying after. */
  connect(): Promise<void> {
    return this.guard('connect', () => this.client.connect());
  }

  async ping(): Promise<void> {
    await this.guard('ping', () => this.client.ping());
  }

  onHealth(listener: (h: StateHealth) => void): void {
    this.listeners.push(listener);
  }

  async close(): Promise<void> {
    this.closed = true;
    try {
      await this.client.quit();
    } catch (e) {
      this.o.log.debug({ err: toError(e) }, 'redis quit failed; disconnecting');
      this.client.disconnect();
    }
  }

  putCall(call: CallRecord, ttlSeconds: number): Promise<void> {
    return this.guard('putCall', () => this.calls.putCall(call, ttlSeconds));
  }
  getCall(id: string): Promise<CallRecord | undefined> {
    return this.guard('getCall', () => this.calls.getCall(id));
  }
  findCallByDialog(callId: string, localTag: string): Promise<CallRecord | undefined> {
    return this.guard('findCallByDialog', () => this.calls.findCallByDialog(callId, localTag));
  }
  deleteCall(id: string): Promise<boolean> {
    return this.guard('deleteCall', () => this.calls.deleteCall(id), { kind: 'deleteCall', id });
  }
  listCallsByOwner(instanceId: string): Promise<CallRecord[]> {
    return this.guard('listCallsByOwner', () => this.calls.listCallsByOwner(instanceId));
  }
  claimCall(id: string, fromOwner: string, toOwner: string, ttlSeconds: number): Promise<boolean> {
    return this.guard('claimCall', () => this.calls.claimCall(id, fromOwner, toOwner, ttlSeconds));
  }

  putBinding(binding: Binding): Promise<void> {
    return this.guard('putBinding', () => this.bindings.putBinding(binding));
  }
  removeBinding(aor: string, identity: BindingIdentity): Promise<boolean> {
    return this.guard('removeBinding', () => this.bindings.removeBinding(aor, identity));
  }
  getBindings(aor: string): Promise<Binding[]> {
    return this.guard('getBindings', () => this.bindings.getBindings(aor));
  }
  expireBindings(): Promise<Binding[]> {
    return this.guard('expireBindings', () => this.bindings.expireBindings());
  }

  admitCall(request: AdmissionRequest): Promise<Admission> {
    return this.guard('admitCall', () => this.limits.admitCall(request));
  }
  acquireCallSlot(trunk: string, callId: string, max: number, leaseSeconds: number): Promise<LimitDecision> {
    return this.guard('acquireCallSlot', () => this.limits.acquireCallSlot(trunk, callId, max, leaseSeconds));
  }
  releaseCallSlot(trunk: string, callId: string): Promise<boolean> {
    return this.guard('releaseCallSlot', () => this.limits.releaseCallSlot(trunk, callId), {
      kind: 'releaseSlot',
      trunk,
      callId,
    });
  }
  callSlotsInUse(trunk: string): Promise<number> {
    return this.guard('callSlotsInUse', () => this.limits.callSlotsInUse(trunk));
  }
  takeCps(trunk: string, limit: number): Promise<LimitDecision> {
    return this.guard('takeCps', () => this.limits.takeCps(trunk, limit));
  }

  ban(address: string, seconds: number, reason: string): Promise<void> {
    return this.guard('ban', () => this.bans.ban(address, seconds, reason));
  }
  unban(address: string): Promise<boolean> {
    return this.guard('unban', () => this.bans.unban(address));
  }
  isBanned(address: string): Promise<boolean> {
    return this.guard('isBanned', () => this.bans.isBanned(address));
  }
  listBans(): Promise<Ban[]> {
    return this.guard('listBans', () => this.bans.listBans());
  }

  putAlgSuspect(suspect: AlgSuspect, ttlSeconds: number): Promise<void> {
    return this.guard('putAlgSuspect', () => this.algSuspects.putAlgSuspect(suspect, ttlSeconds));
  }
  listAlgSuspects(): Promise<AlgSuspect[]> {
    return this.guard('listAlgSuspects', () => this.algSuspects.listAlgSuspects());
  }
  removeAlgSuspect(client: string): Promise<boolean> {
    return this.guard('removeAlgSuspect', () => this.algSuspects.removeAlgSuspect(client));
  }

  recordAuthFailure(key: string, windowSeconds: number): Promise<number> {
    return this.guard('recordAuthFailure', () => this.authAttempts.recordAuthFailure(key, windowSeconds));
  }
  authFailures(key: string): Promise<number> {
    return this.guard('authFailures', () => this.authAttempts.authFailures(key));
  }
  advanceNonceCount(nonce: string, nc: number, ttlSeconds: number): Promise<boolean> {
    return this.guard('advanceNonceCount', () => this.authAttempts.advanceNonceCount(nonce, nc, ttlSeconds));
  }

  announceInstance(instance: InstanceRecord, ttlSeconds: number): Promise<void> {
    return this.guard('announceInstance', () => this.instances.announceInstance(instance, ttlSeconds));
  }
  getInstance(id: string): Promise<InstanceRecord | undefined> {
    return this.guard('getInstance', () => this.instances.getInstance(id));
  }
  listInstances(): Promise<InstanceRecord[]> {
    return this.guard('listInstances', () => this.instances.listInstances());
  }
  withdrawInstance(id: string): Promise<boolean> {
    return this.guard('withdrawInstance', () => this.instances.withdrawInstance(id));
  }

  /** Clean-ups still waiting for Redis to come back (diagnostics and tests). */
  get pendingCleanups(): number {
    return this.cleanups.size;
  }

  /**
   * Runs one operation; any failure (sync or async) becomes a StateError. An idempotent clean-up
   * that failed for want of Redis still rejects, and is also kept to be replayed once Redis is back.
   */
  private async guard<T>(op: string, fn: () => Promise<T>, cleanup?: Cleanup): Promise<T> {
    try {
      return await fn();
    } catch (e) {
      const error = toStateError(e, op, this.closed);
      if (cleanup && error.code === 'STATE_UNREACHABLE') this.cleanups.add(cleanup);
      throw error;
    }
  }

  private emit(h: StateHealth): void {
    for (const l of this.listeners) l(h);
  }
}
