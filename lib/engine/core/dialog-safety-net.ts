/**
 * The engine's dialog safety net: whatever path forgot a dialog, the engine never holds it
 * forever. Every sweep (default 60 s) each dialog whose owning app connection is gone (protocol
 * doc §1.1: nothing is re-homed) or that saw no traffic for `maxIdleMs` (default 6 h; any
 * request or response in it, from either side, counts — the lookups mark it) is ended: a
 * confirmed one with a BYE to the peer (Reason text below) and an unsolicited BYE to a still
 * connected app (§6.6), an early one dropped. Each is logged and counted. A lighter pass every
 * 16·T1 (8 s) drops the copy of the last ACK once its 2xx can no longer be retransmitted (64·T1,
 * RFC 3261 §13.3.1.4): about 0.65 KB per established call that would otherwise live as long as
 * the call (or until the next sweep: up to a minute more).
 */
import type { EngineDeps } from './engine-deps';
import type { EngineDialog } from './engine-dialog';
import { endDialogUnsolicited } from './unsolicited-bye';

export interface SafetyNetOptions {
  /** No traffic for this long ends a dialog; default 6 h. */
  maxIdleMs?: number;
  /** How often dialogs are checked; default 60 s. */
  sweepIntervalMs?: number;
}

export type SweepReason = 'orphaned' | 'idle';
export const IDLE_REASON = 'Dialog idle too long';
export const ORPHAN_REASON = 'Application gone';

export class DialogSafetyNet {
  /** Dialogs ended so far, by reason. */
  readonly swept: Record<SweepReason, number> = { orphaned: 0, idle: 0 };
  private readonly maxIdleMs: number;
  private readonly intervalMs: number;
  private timer: { cancel(): void } | undefined;
  private ackTimer: { cancel(): void } | undefined;
  private stopped = false;

  constructor(
    private readonly deps: EngineDeps,
    o: SafetyNetOptions = {},
  ) {
    this.maxIdleMs = o.maxIdleMs ?? 6 * 3600_000;
    this.intervalMs = Math.max(1, o.sweepIntervalMs ?? 60_000);
  }

  start(): void {
    this.stopped = false;
    this.arm();
    this.armAcks();
  }

  stop(): void {
    this.stopped = true;
    this.timer?.cancel();
    this.ackTimer?.cancel();
  }

  /** Drops kept ACKs whose 2xx can no longer come again (64·T1 after they were sent). */
  dropExpiredAcks(): void {
    const ackKeptUntil = this.deps.clock.now() - 64 * this.deps.t1;
    for (const d of this.deps.state.allDialogs())
      if (d.lastAck?.at !== undefined && d.lastAck.at < ackKeptUntil) d.lastAck = undefined;
  }

  /** One pass over every dialog (also called by tests). */
  sweep(): void {
    this.dropExpiredAcks();
    for (const d of this.deps.state.allDialogs()) {
      if (d.owner.isClosed) this.end(d, 'orphaned');
      else {
        d.idleSweeps = (d.idleSweeps ?? 0) + 1;
        if (d.idleSweeps * this.intervalMs > this.maxIdleMs) this.end(d, 'idle');
      }
    }
  }

  private arm(): void {
    if (this.stopped) return;
    this.timer = this.deps.clock.setTimer(this.intervalMs, () => {
      this.sweep();
      this.arm();
    });
  }

  private armAcks(): void {
    if (this.stopped) return;
    this.ackTimer = this.deps.clock.setTimer(Math.max(1, 16 * this.deps.t1), () => {
      this.dropExpiredAcks();
      this.armAcks();
    });
  }

  private end(d: EngineDialog, reason: SweepReason): void {
    this.swept[reason]++;
    const { state } = d.dialog;
    this.deps.log.warn(
      { dialog: d.appDialogId, state, reason, idleMs: (d.idleSweeps ?? 0) * this.intervalMs },
      'dialog safety net: dialog ended',
    );
    if (state === 'confirmed')
      endDialogUnsolicited(this.deps, d, reason === 'idle' ? IDLE_REASON : ORPHAN_REASON);
    else this.deps.state.removeDialog(d);
  }
}
