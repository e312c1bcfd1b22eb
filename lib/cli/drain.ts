/**
 * Graceful drain (issue 8 §5): once started — by SIGTERM, `palisade drain` or POST /admin/drain —
 * readiness is false at once, new INVITEs are refused with 503 + Retry-After (RFC 3261 §21.5.4),
 * established calls go on (their in-dialog requests still flow), and the drain finishes when the
 * last call ends or at the deadline, after ending the remaining calls (BYE on both legs).
 * Timers run on the injected clock; starting again may only shorten the deadline. At the start
 * the registrations' flows are handed over where possible (handOver, ADR 0006); calls peers
 * forward for them during the drain count as active calls, so the drain waits for them too.
 */
import type { Clock, TimerHandle } from '../util/clock';
import { toError } from '../util/errors';
import type { Log } from '../util/logger';

/** What the drain acts on: the B2BUA app. */
export interface Drainable {
  readonly activeCalls: number;
  /** Refuse new calls from now on; `retryAfterSeconds` gives the Retry-After to send. */
  startDraining(retryAfterSeconds: () => number): void;
  /** End every call (BYE both legs) with this CDR reason. */
  endAll(reason: string): Promise<void>;
}

export type DrainPhase = 'serving' | 'draining' | 'drained';

export interface DrainStatus {
  phase: DrainPhase;
  activeCalls: number;
  callsAtStart: number | null;
  startedAt: string | null;
  deadlineSeconds: number | null;
  secondsLeft: number | null;
  /** Calls still up at the deadline, ended by the drain. */
  endedAtDeadline: number;
}

export const DRAIN_DEADLINE_REASON = 'drain-deadline';

export interface DrainOptions {
  target: Drainable;
  /** Turns readiness false (Kubernetes stops sending traffic). */
  markNotReady: () => void;
  /** Hands the registrations' flows over where possible (wire-instances.ts, ADR 0006). */
  handOver?: () => Promise<void>;
  defaultDeadlineSeconds: number;
  clock: Clock;
  log: Log;
  pollMs?: number;
}

export class DrainController {
  private phase: DrainPhase = 'serving';
  private startedAtMs = 0;
  private startedAt: string | null = null;
  private deadlineAtMs = 0;
  private deadlineSeconds: number | null = null;
  private callsAtStart: number | null = null;
  private endedAtDeadline = 0;
  private deadlineTimer: TimerHandle | undefined;
  private pollTimer: TimerHandle | undefined;
  private resolveFinished: (s: DrainStatus) => void = () => undefined;
  /** Resolves once drained (never, if no drain is started). */
  readonly finished = new Promise<DrainStatus>((resolve) => {
    this.resolveFinished = resolve;
  });

  constructor(private readonly o: DrainOptions) {}

  /** Start draining (idempotent); a shorter deadline than the running one replaces it. */
  start(deadlineSeconds = this.o.defaultDeadlineSeconds): DrainStatus {
    const seconds = Math.max(0, deadlineSeconds);
    if (this.phase === 'serving') {
      this.phase = 'draining';
      this.startedAtMs = this.o.clock.now();
      this.startedAt = new Date().toISOString();
      this.callsAtStart = this.o.target.activeCalls;
      this.o.markNotReady();
      this.o.target.startDraining(() => Math.max(1, Math.ceil(this.secondsLeft())));
      void this.o.handOver?.().catch((e: unknown) => {
        this.o.log.warn({ err: toError(e).message }, 'drain hand-over failed');
      });
      this.o.log.info({ deadlineSeconds: seconds, activeCalls: this.callsAtStart }, 'draining');
      this.setDeadline(seconds);
      this.poll();
    } else if (this.phase === 'draining' && this.startedAtMs + seconds * 1000 < this.deadlineAtMs) {
      this.o.log.info({ deadlineSeconds: seconds }, 'drain deadline shortened');
      this.setDeadline(seconds);
    }
    return this.status();
  }

  status(): DrainStatus {
    return {
      phase: this.phase,
      activeCalls: this.o.target.activeCalls,
      callsAtStart: this.callsAtStart,
      startedAt: this.startedAt,
      deadlineSeconds: this.deadlineSeconds,
      secondsLeft: this.phase === 'draining' ? Math.round(this.secondsLeft() * 10) / 10 : null,
      endedAtDeadline: this.endedAtDeadline,
    };
  }

  private secondsLeft(): number {
    return Math.max(0, (this.deadlineAtMs - this.o.clock.now()) / 1000);
  }

  private setDeadline(seconds: number): void {
    this.deadlineTimer?.cancel();
    this.deadlineSeconds = seconds;
    this.deadlineAtMs = this.startedAtMs + seconds * 1000;
    this.deadlineTimer = this.o.clock.setTimer(this.deadlineAtMs - this.o.clock.now(), () => {
      void this.onDeadline();
    });
  }

  private poll(): void {
    if (this.phase !== 'draining') return;
    if (this.o.target.activeCalls === 0) {
      this.finish();
      return;
    }
    this.pollTimer = this.o.clock.setTimer(this.o.pollMs ?? 200, () => {
      this.poll();
    });
  }

  private async onDeadline(): Promise<void> {
    if (this.phase !== 'draining') return;
    this.endedAtDeadline = this.o.target.activeCalls;
    this.o.log.warn({ calls: this.endedAtDeadline }, 'drain deadline reached: ending the remaining calls');
    try {
      await this.o.target.endAll(DRAIN_DEADLINE_REASON);
    } catch (e) {
      this.o.log.error({ err: toError(e) }, 'ending calls at the drain deadline failed');
    }
    this.finish();
  }

  private finish(): void {
    if (this.phase !== 'draining') return;
    this.phase = 'drained';
    this.deadlineTimer?.cancel();
    this.pollTimer?.cancel();
    const s = this.status();
    this.o.log.info({ endedAtDeadline: s.endedAtDeadline, callsAtStart: s.callsAtStart }, 'drained');
    this.resolveFinished(s);
  }
}
