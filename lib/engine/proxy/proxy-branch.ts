/**
 * One branch of a proxied request: a client transaction to one target (RFC 3261 §16.6) with
 * the proxy's timers — provisional and final timeouts (protocol doc §7) and Timer C (§16.6
 * item 11, 185 s, reset by 101-199, §16.7 item 2). Giving up on an INVITE branch CANCELs it
 * (§16.8), but only once a provisional response arrived (§9.1); a branch whose CANCEL is never
 * answered ends after 64·T1 (§9.1 note).
 */
import type { TimerHandle } from '../../util/clock';
import type { SipRequest, SipResponse } from '../../sip';
import type { ClientTransaction } from '../../sip/stack';
import type { Flow, SendTarget } from '../../sip/transport';
import type { EngineDeps } from '../core/engine-deps';

export const TIMER_C_MS = 185_000;

export interface BranchEvents {
  /** 101-199 (100 is absorbed here). */
  provisional(b: ProxyBranch, res: SipResponse, flow: Flow): void;
  /** Every 2xx, retransmissions included (RFC 6026: a proxy forwards them all). */
  success(b: ProxyBranch, res: SipResponse, flow: Flow): void;
  /** The first 300-699 from the target. */
  failure(b: ProxyBranch, res: SipResponse, flow: Flow): void;
  /** No response from the target: timeout (408) or transport failure (503). */
  lost(b: ProxyBranch, status: 408 | 503): void;
  /** A provisional/final timeout or Timer C fired: the branch is being given up. */
  timedOut(b: ProxyBranch): void;
}

export interface BranchTimers {
  provisionalMs: number | undefined;
  finalMs: number | undefined;
  timerCMs: number;
}

export class ProxyBranch {
  /** Set once a final response (or loss) ended the branch. */
  ended = false;
  /** We gave up on it (timeout, Timer C, a winner elsewhere, caller CANCEL). */
  givenUp = false;
  private proceeding = false;
  private cancelSent = false;
  private txn: ClientTransaction | undefined;
  private readonly timers = new Map<'provisional' | 'final' | 'C' | 'guard', TimerHandle>();

  constructor(
    private readonly deps: EngineDeps,
    readonly destination: string,
    readonly target: SendTarget,
    private readonly events: BranchEvents,
    private readonly timing: BranchTimers,
  ) {}

  start(request: SipRequest): void {
    this.txn = this.deps.stack.request(request, this.target, {
      onResponse: (res, flow) => {
        this.onResponse(res, flow);
      },
      onTimeout: () => {
        this.lose(408);
      },
      onTransportError: () => {
        this.lose(503);
      },
    });
    const { provisionalMs, finalMs, timerCMs } = this.timing;
    if (provisionalMs !== undefined) this.arm('provisional', provisionalMs);
    if (finalMs !== undefined) this.arm('final', finalMs);
    if (this.isInvite) this.arm('C', timerCMs);
  }

  /** The request sent to this target (with our Via), once started. */
  get request(): SipRequest | undefined {
    return this.txn?.request;
  }

  get isInvite(): boolean {
    return this.txn?.method === 'INVITE';
  }

  /** Stop waiting for this target: CANCEL an INVITE (now or at its first provisional). */
  giveUp(): void {
    if (this.ended || this.givenUp) return;
    this.givenUp = true;
    this.stopTimers();
    if (!this.isInvite) {
      this.lose(408);
      return;
    }
    if (this.proceeding) this.sendCancel();
    this.arm('guard', 64 * this.deps.t1);
  }

  private onResponse(res: SipResponse, flow: Flow): void {
    if (res.status >= 200 && res.status < 300) {
      this.end();
      this.events.success(this, res, flow);
      return;
    }
    if (this.ended) return;
    if (res.status < 200) {
      this.timers.get('provisional')?.cancel();
      this.proceeding = true;
      if (this.givenUp) this.sendCancel();
      if (res.status === 100) return;
      if (!this.givenUp) this.arm('C', this.timing.timerCMs);
      this.events.provisional(this, res, flow);
      return;
    }
    this.end();
    this.events.failure(this, res, flow);
  }

  private sendCancel(): void {
    if (this.cancelSent || !this.txn) return;
    this.cancelSent = true;
    this.deps.stack.cancel(this.txn, [], {
      onResponse: () => undefined,
      onTimeout: () => undefined,
      onTransportError: () => undefined,
    });
  }

  private lose(status: 408 | 503): void {
    if (this.ended) return;
    this.end();
    this.events.lost(this, status);
  }

  private end(): void {
    this.ended = true;
    this.stopTimers();
  }

  private arm(name: 'provisional' | 'final' | 'C' | 'guard', ms: number): void {
    this.timers.get(name)?.cancel();
    this.timers.set(
      name,
      this.deps.clock.setTimer(ms, () => {
        this.timers.delete(name);
        if (name === 'guard') {
          this.lose(408);
          return;
        }
        this.giveUp();
        this.events.timedOut(this);
      }),
    );
  }

  private stopTimers(): void {
    for (const t of this.timers.values()) t.cancel();
    this.timers.clear();
  }
}
