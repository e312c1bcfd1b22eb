/**
 * The mid-call takeover port (core/dialog-recovery-port.ts) of an engine in a worker thread: each
 * question goes to the main thread, whose recovery port (the StateStore's claims) answers. A
 * question left unanswered is treated as "not ours" after a bound, like a failed lookup.
 */
import type { DialogRecovery, RecoveredDialog } from '../core/dialog-recovery-port';
import type { Log } from '../../util/logger';
import type { FromWorker } from './thread-protocol';

/** Longer than a takeover's OPTIONS probe (instance.takeover.probeTimeoutMs, ≤ 10 s) plus Redis. */
export const RECOVERY_ANSWER_TIMEOUT_MS = 15_000;

export class RecoveryBridge {
  private readonly waiting = new Map<number, (dialogs: readonly RecoveredDialog[]) => void>();
  private nextId = 0;

  constructor(
    private readonly post: (m: FromWorker) => void,
    private readonly log: Log,
  ) {}

  readonly recovery: DialogRecovery = {
    recover: (callId, localTag) =>
      new Promise((resolve) => {
        const id = ++this.nextId;
        const timer = setTimeout(() => {
          this.log.warn({ callId }, 'takeover: the main thread did not answer; request left as unknown');
          this.settle(id, []);
        }, RECOVERY_ANSWER_TIMEOUT_MS);
        this.waiting.set(id, (dialogs) => {
          clearTimeout(timer);
          resolve(dialogs);
        });
        this.post({ type: 'recover', id, callId, localTag });
      }),
  };

  settle(id: number, dialogs: readonly RecoveredDialog[]): void {
    const done = this.waiting.get(id);
    this.waiting.delete(id);
    done?.(dialogs);
  }
}
