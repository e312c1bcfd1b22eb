/**
 * The registrar as the SBC runs it: admission (who, how fast), then the configured mode — `off`
 * answers 405 (RFC 3261 §21.4.6, with Allow), `local` and `relay` hand the REGISTER to their
 * registrar — and the expiry sweeper that reports ended bindings (BindingObserver `expired`,
 * palisade_registrations_active). A failing StateStore answers 503 with Retry-After. It also
 * decides which non-trunk callers are its devices (`devices`, device-gate.ts): same users, realm
 * and nonces as REGISTER.
 */
import { randomBytes } from 'node:crypto';
import type { Config } from '../../config';
import type { BindingStore, Flow } from '../../state/binding';
import { MemoryAuthAttempts } from '../../state/memory/memory-auth-attempts';
import { MemoryBans } from '../../state/memory/memory-bans';
import type { Clock, TimerHandle } from '../../util/clock';
import { toError } from '../../util/errors';
import type { Log } from '../../util/logger';
import { NatDetector } from '../nat/nat-detect';
import type { InboundRequest } from '../pipeline/context';
import type { DeviceGate } from '../pipeline/device-gate';
import { RegisterAdmission } from './admission';
import { AuthGuard, noAuthGuardMetrics, type AuthGuardMetrics, type AuthGuardStore } from './auth-guard';
import { DigestAuthenticator } from './authenticator';
import { bindingObservers, noBindingObserver, type BindingObserver } from './binding-observer';
import { RegistrarDeviceGate } from './device-gate';
import { LocalRegistrar } from './local-registrar';
import { NonceIssuer } from './nonce';
import {
  flowOf,
  noRegistrarMetrics,
  reply,
  type CoreDeps,
  type NatFacts,
  type RegisterOutcome,
  type RegisterReply,
  type RegistrarMetrics,
} from './registrar-core';
import { RelayRefresher, type RefreshEvent } from './relay-refresher';
import { RelayRegistrar } from './relay-registrar';
import type { UpstreamSender } from './upstream';

export type RegistrarConfig = Config['registrar'];

export interface RegistrarServiceDeps {
  config: RegistrarConfig;
  store: BindingStore;
  /**
   * Bans and digest attempt state (the StateStore, shared by instances); absent: kept in this
   * process only.
   */
  authState?: AuthGuardStore;
  authMetrics?: AuthGuardMetrics;
  instanceId: string;
  /** True when a trunk's inbound sources include this address. */
  isTrunkSource: (address: string) => boolean;
  /**
   * NAT detection as configured (`nat.internalNetworks`/`publicNetworks`, wire-nat.ts); absent:
   * the built-in address classes only.
   */
  nat?: NatDetector | undefined;
  /** Relay mode's way upstream (srf-upstream.ts). */
  upstream?: UpstreamSender;
  observer?: BindingObserver;
  /** Relay mode: upstream refreshes and removals Palisade made by itself (a metric). */
  relayEvents?: (e: RefreshEvent) => void;
  /** Relay mode: 0..1 for the refresh timers' jitter (tests; default Math.random). */
  relayRandom?: () => number;
  metrics?: RegistrarMetrics;
  clock: Clock;
  /** Epoch milliseconds (default Date.now). */
  now?: () => number;
  log: Log;
}

type Handler = (
  req: InboundRequest,
  flow: Flow,
  nat: NatFacts | undefined,
) => Promise<{ reply: RegisterReply; outcome: RegisterOutcome }>;

const ALLOW = 'INVITE, ACK, BYE, CANCEL, OPTIONS, UPDATE, PRACK, INFO, REFER, NOTIFY, MESSAGE';

export class RegistrarService {
  readonly mode: RegistrarConfig['mode'];
  /** How a call to an AOR with several bindings is delivered (`calls.forking`). */
  readonly forking: RegistrarConfig['calls']['forking'];
  /** Who among non-trunk callers is a device of ours; absent when the registrar is off. */
  readonly devices: DeviceGate | undefined;
  private readonly admission: RegisterAdmission;
  private readonly handler: Handler | undefined;
  private readonly metrics: RegistrarMetrics;
  private readonly observer: BindingObserver;
  private readonly refresher: RelayRefresher | undefined;
  private sweepTimer: TimerHandle | undefined;
  private stopped = false;
  private readonly core: CoreDeps;

  constructor(private readonly deps: RegistrarServiceDeps) {
    const c = deps.config;
    const now = deps.now ?? Date.now;
    this.mode = c.mode;
    this.forking = c.calls.forking;
    this.metrics = deps.metrics ?? noRegistrarMetrics;
    const given = deps.observer ?? noBindingObserver;
    this.refresher =
      c.mode === 'relay' && c.relay !== undefined && deps.upstream !== undefined
        ? new RelayRefresher({
            store: deps.store,
            sender: deps.upstream,
            options: c.relay,
            clock: deps.clock,
            now,
            log: deps.log,
            ...(deps.relayEvents === undefined ? {} : { onEvent: deps.relayEvents }),
            ...(deps.relayRandom === undefined ? {} : { random: deps.relayRandom }),
          })
        : undefined;
    this.observer =
      this.refresher === undefined
        ? given
        : bindingObservers([given, this.refresher], (e) => {
            deps.log.warn({ err: toError(e).message }, 'binding observer failed');
          });
    this.admission = new RegisterAdmission(
      { ...c.limits, allow: c.allow, allowTrunkSources: c.allowTrunkSources },
      deps.isTrunkSource,
      now,
    );
    const core: CoreDeps = {
      store: deps.store,
      observer: this.observer,
      metrics: this.metrics,
      nat: deps.nat ?? new NatDetector(),
      policy: c.expires,
      domains: c.domains,
      now,
      log: deps.log,
    };
    this.core = core;
    if (c.mode === 'local') {
      const realm = c.realm ?? c.domains[0] ?? 'palisade';
      const secret = c.nonceSecret ?? randomBytes(32);
      const nonces = new NonceIssuer(secret, realm, c.nonceTtlSeconds * 1000, now);
      const users = new Map(c.users.map((u) => [u.user, u.password]));
      const digest = new DigestAuthenticator({ realm, users, algorithms: c.algorithms, nonces });
      const auth = new AuthGuard(digest, {
        store: deps.authState ?? processAuthState(now),
        policy: c.authLimits,
        nonceTtlSeconds: c.nonceTtlSeconds,
        users: new Set(users.keys()),
        metrics: deps.authMetrics ?? noAuthGuardMetrics,
        log: deps.log,
      });
      const local = new LocalRegistrar(core, auth);
      this.handler = (req, flow, nat) => local.handle(req, flow, nat);
      this.devices = this.deviceGate(c.calls.authenticate ? { authenticator: auth, realm } : undefined);
    } else if (c.mode === 'relay' && c.relay !== undefined && deps.upstream !== undefined) {
      const relay = new RelayRegistrar(core, deps.upstream, c.relay);
      this.handler = (req, flow, nat) => relay.handle(req, flow, nat);
      // The upstream authenticates REGISTER; calls are trusted over a registered flow only.
      this.devices = this.deviceGate(undefined);
    } else this.devices = undefined;
  }

  private deviceGate(auth: { authenticator: AuthGuard; realm: string } | undefined): DeviceGate {
    const c = this.deps.config;
    return new RegistrarDeviceGate({
      store: this.deps.store,
      domains: c.domains,
      trustRegisteredFlow: c.calls.trustRegisteredFlow,
      auth,
    });
  }

  /** `nat`: NAT traversal's verdict on this REGISTER, when it inspected it. */
  async handle(req: InboundRequest, listenerId: string, nat?: NatFacts): Promise<RegisterReply> {
    if (this.handler === undefined) return reply(405, 'Method Not Allowed', [['Allow', ALLOW]]);
    const admitted = this.admission.admit(req.source.address);
    if (!admitted.ok) {
      this.metrics.outcome(admitted.status === 503 ? 'overload' : 'forbidden');
      return admitted.status === 503 ? this.busy(admitted.reason) : reply(403, admitted.reason);
    }
    try {
      const { reply: r, outcome } = await this.handler(
        req,
        flowOf(req, listenerId, this.deps.instanceId),
        nat,
      );
      this.metrics.outcome(outcome);
      return r;
    } catch (e) {
      this.metrics.outcome('error');
      this.deps.log.warn({ err: toError(e).message, source: req.source.address }, 'REGISTER failed');
      return this.busy('Registrar Unavailable');
    } finally {
      admitted.release();
    }
  }

  /** Drain hand-over (ADR 0006): from now on UDP bindings are granted at most `seconds`. */
  capUdpExpires(seconds: number): void {
    this.core.policy = { ...this.core.policy, udpMax: seconds };
  }

  /** 503 with a Retry-After spread over [n, 2n) so a refused storm does not come back in step. */
  private busy(reason: string): RegisterReply {
    const base = this.deps.config.limits.retryAfterSeconds;
    return reply(503, reason, [['Retry-After', String(base + Math.floor(Math.random() * base))]]);
  }

  /** Starts the periodic expiry sweep (RFC 3261 §10.3: a binding ends when its expiry passes). */
  start(): void {
    if (this.mode === 'off' || this.sweepTimer !== undefined) return;
    this.stopped = false;
    const schedule = (): void => {
      this.sweepTimer = this.deps.clock.setTimer(this.deps.config.sweepIntervalSeconds * 1000, () => {
        void this.sweep().finally(() => {
          if (!this.stopped) schedule();
        });
      });
    };
    schedule();
  }

  stop(): void {
    this.stopped = true;
    this.sweepTimer?.cancel();
    this.sweepTimer = undefined;
    this.refresher?.stop();
  }

  /** One sweep: expired bindings are removed and reported once (whichever instance sweeps). */
  async sweep(): Promise<number> {
    try {
      const expired = await this.deps.store.expireBindings();
      for (const b of expired) this.observer.unbound(b, 'expired');
      if (expired.length > 0) this.metrics.activeDelta(-expired.length);
      return expired.length;
    } catch (e) {
      this.deps.log.warn({ err: toError(e).message }, 'binding expiry sweep failed');
      return 0;
    }
  }
}

/** Bans and attempt state of this process alone (no StateStore given). */
function processAuthState(now: () => number): AuthGuardStore {
  const bans = new MemoryBans(now);
  const attempts = new MemoryAuthAttempts(now);
  return {
    ban: (a, s, r) => bans.ban(a, s, r),
    unban: (a) => bans.unban(a),
    isBanned: (a) => bans.isBanned(a),
    listBans: () => bans.listBans(),
    recordAuthFailure: (k, w) => attempts.recordAuthFailure(k, w),
    authFailures: (k) => attempts.authFailures(k),
    advanceNonceCount: (n, nc, t) => attempts.advanceNonceCount(n, nc, t),
  };
}
