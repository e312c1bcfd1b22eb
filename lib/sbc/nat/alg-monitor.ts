/**
 * Per-client SIP ALG suspicion (issue 7 point 6), fed by every source of evidence: requests
 * (INVITE, REGISTER), the signed Contact parameter coming back, the media latch after answer and
 * registration churn. A client is its public source address: a router ALG sits in front of every
 * device behind it. When a client becomes suspected this writes one structured log line with its
 * evidence and counts it; while suspected its entry in the shared AlgSuspectStore is refreshed so
 * that every instance's admin query lists it. Bounded: at most `maxClients` tracked, quiet ones
 * forgotten on a sweep.
 */
import type { Clock } from '../../util/clock';
import { toError } from '../../util/errors';
import type { Log } from '../../util/logger';
import type { AlgSuspect, AlgSuspectStore } from '../../state/alg-suspects';
import type { AlgFinding } from './alg-detect';
import { type AlgPolicy, AlgSuspicion, DEFAULT_ALG_POLICY, assess } from './alg-suspicion';
import { EvidenceDedup } from './evidence-dedup';
import type { NatObserver } from './nat-observer';

export interface ClientInfo {
  userAgent?: string | undefined;
  /** A user / AOR the client used (for support staff). */
  identity?: string | undefined;
  /** The SIP Call-ID the evidence came with: counted and logged once per client and Call-ID. */
  callId?: string | undefined;
}

interface Tracked {
  suspicion: AlgSuspicion;
  info: ClientInfo;
  suspectedAt: number | undefined;
  lastEvidenceAt: number;
  lastWrite: number;
}

export interface AlgMonitorOptions {
  clock: Pick<Clock, 'now'>;
  /** Wall clock (epoch ms) for what is stored and shown. */
  wallNow?: () => number;
  store: AlgSuspectStore;
  observer: NatObserver;
  log: Log;
  instance: string;
  policy?: AlgPolicy;
  /** Seconds a suspect stays listed after its last evidence. */
  listTtlSeconds: number;
  maxClients?: number;
  /** Re-write a suspect's shared entry at most this often (ms). */
  refreshMs?: number;
}

export class AlgMonitor {
  private readonly clients = new Map<string, Tracked>();
  /** Per device: only its registration source ports (churn). */
  private readonly devices = new Map<string, AlgSuspicion>();
  private readonly policy: AlgPolicy;
  private readonly dedup: EvidenceDedup;

  constructor(private readonly o: AlgMonitorOptions) {
    this.policy = o.policy ?? DEFAULT_ALG_POLICY;
    this.dedup = new EvidenceDedup(() => o.clock.now(), this.policy.halfLifeMs / 2, o.maxClients ?? 10_000);
  }

  /**
   * Findings from one observation of `client`. With a Call-ID, each signal counts once per
   * client and Call-ID (evidence-dedup.ts) and the first evidence of a call is logged once.
   */
  observe(client: string, given: readonly AlgFinding[], info: ClientInfo = {}): void {
    if (given.length === 0) return;
    const { findings, firstForCall } = this.dedup.fresh(client, info.callId, given);
    if (findings.length === 0) return;
    const t = this.track(client, info);
    for (const f of findings) {
      t.suspicion.record(f);
      this.o.observer.algEvidence(f.signal);
    }
    if (firstForCall)
      this.o.log.info(
        {
          client,
          callId: info.callId,
          signals: findings.map((f) => f.signal),
          evidence: findings.map((f) => f.detail),
          userAgent: info.userAgent ?? t.info.userAgent,
          identity: info.identity ?? t.info.identity,
        },
        'SIP ALG evidence',
      );
    t.lastEvidenceAt = this.wallNow();
    this.evaluate(client, t);
  }

  /**
   * A (re-)registration of one device (`device`: AOR + instance or contact) behind `client`, from
   * this source port (evidence (f): churn). Ports are compared per device: several phones behind
   * one NAT register from different ports, which says nothing.
   */
  registration(client: string, device: string, sourcePort: number, info: ClientInfo = {}): void {
    let churn = this.devices.get(device);
    if (churn === undefined) {
      if (this.devices.size >= (this.o.maxClients ?? 10_000)) {
        const oldest = this.devices.keys().next();
        if (oldest.done !== true) this.devices.delete(oldest.value);
      }
      churn = new AlgSuspicion(this.o.clock, this.policy);
      this.devices.set(device, churn);
    }
    const finding = churn.noteRegistration(sourcePort);
    if (finding !== undefined) this.observe(client, [finding], info);
  }

  /** True while this instance suspects the client. */
  isSuspected(client: string): boolean {
    const t = this.clients.get(client);
    return t !== undefined && assess(t.suspicion.evidence(), this.policy).suspected;
  }

  /** Forget clients with nothing left worth keeping (call now and then). */
  sweep(): void {
    for (const [device, churn] of this.devices) if (churn.quiet()) this.devices.delete(device);
    for (const [client, t] of this.clients) {
      if (t.suspicion.quiet()) this.clients.delete(client);
      else if (t.suspectedAt !== undefined && !this.isSuspected(client)) t.suspectedAt = undefined;
    }
    this.o.observer.suspectedClients(this.suspectedCount());
  }

  get trackedClients(): number {
    return this.clients.size;
  }

  private track(client: string, info: ClientInfo): Tracked {
    let t = this.clients.get(client);
    if (t === undefined) {
      if (this.clients.size >= (this.o.maxClients ?? 10_000)) this.evictOne();
      t = {
        suspicion: new AlgSuspicion(this.o.clock, this.policy),
        info: {},
        suspectedAt: undefined,
        lastEvidenceAt: 0,
        lastWrite: -Infinity,
      };
      this.clients.set(client, t);
    }
    if (info.userAgent !== undefined) t.info.userAgent = info.userAgent;
    if (info.identity !== undefined) t.info.identity = info.identity;
    return t;
  }

  private evaluate(client: string, t: Tracked): void {
    const evidence = t.suspicion.evidence();
    const verdict = assess(evidence, this.policy);
    if (!verdict.suspected) return;
    const now = this.o.clock.now();
    if (t.suspectedAt === undefined) {
      t.suspectedAt = this.wallNow();
      this.o.observer.algSuspected(verdict.signals);
      this.o.observer.suspectedClients(this.suspectedCount());
      this.o.log.warn(
        {
          client,
          signals: verdict.signals,
          evidence: verdict.evidence,
          score: Math.round(evidence.score * 100) / 100,
          userAgent: t.info.userAgent,
          identity: t.info.identity,
        },
        'SIP ALG suspected: a router is rewriting this client’s SIP; ask the customer to disable it',
      );
    } else if (now - t.lastWrite < (this.o.refreshMs ?? 30_000)) return;
    t.lastWrite = now;
    const entry: AlgSuspect = {
      client,
      signals: verdict.signals,
      evidence: verdict.evidence,
      score: Math.round(evidence.score * 100) / 100,
      ...(t.info.userAgent === undefined ? {} : { userAgent: t.info.userAgent }),
      ...(t.info.identity === undefined ? {} : { identity: t.info.identity }),
      firstSuspectedAt: t.suspectedAt,
      lastEvidenceAt: t.lastEvidenceAt,
      instance: this.o.instance,
    };
    this.o.store.putAlgSuspect(entry, this.o.listTtlSeconds).catch((e: unknown) => {
      this.o.log.warn({ client, err: toError(e).message }, 'ALG suspect not stored');
    });
  }

  private suspectedCount(): number {
    let n = 0;
    for (const t of this.clients.values()) if (t.suspectedAt !== undefined) n++;
    return n;
  }

  /** Make room: drop the first quiet client, else the oldest tracked one. */
  private evictOne(): void {
    for (const [client, t] of this.clients) {
      if (t.suspicion.quiet()) {
        this.clients.delete(client);
        return;
      }
    }
    const oldest = this.clients.keys().next();
    if (oldest.done !== true) this.clients.delete(oldest.value);
  }

  private wallNow(): number {
    return (this.o.wallNow ?? Date.now)();
  }
}
