/**
 * Clean-ups that failed because Redis was unreachable (a call ended during an outage or a
 * failover): its record deletion and slot releases. They are idempotent, so they are kept here
 * (deduplicated, bounded) and replayed once Redis is back, instead of leaving a record for its
 * TTL and a concurrent-call slot held until its lease ends. Writes that are not idempotent are
 * never replayed (nothing may be written twice).
 */
import { toError } from '../../util/errors';
import type { Log } from '../../util/logger';

export type Cleanup =
  { kind: 'deleteCall'; id: string } | { kind: 'releaseSlot'; trunk: string; callId: string };

const keyOf = (c: Cleanup): string =>
  c.kind === 'deleteCall' ? `call\u0000${c.id}` : `slot\u0000${c.trunk}\u0000${c.callId}`;

export class PendingCleanups {
  private readonly pending = new Map<string, Cleanup>();
  private flushing: Promise<void> | undefined;

  constructor(
    private readonly run: (c: Cleanup) => Promise<unknown>,
    private readonly log: Log,
    private readonly max = 100_000,
  ) {}

  get size(): number {
    return this.pending.size;
  }

  add(c: Cleanup): void {
    if (this.pending.size >= this.max) {
      this.log.warn({ cleanup: c.kind }, 'too many pending state clean-ups: dropped (left to TTL/lease)');
      return;
    }
    this.pending.set(keyOf(c), c);
  }

  /** Replay everything pending; what fails again stays for the next flush. Never rejects. */
  flush(): Promise<void> {
    this.flushing ??= this.replay().finally(() => {
      this.flushing = undefined;
    });
    return this.flushing;
  }

  private async replay(): Promise<void> {
    const batch = [...this.pending];
    if (batch.length === 0) return;
    let failed = 0;
    for (let i = 0; i < batch.length; i += 200) {
      await Promise.all(
        batch.slice(i, i + 200).map(async ([key, c]) => {
          try {
            await this.run(c);
            if (this.pending.get(key) === c) this.pending.delete(key);
          } catch (e) {
            failed++;
            this.log.debug({ err: toError(e).message, cleanup: c.kind }, 'state clean-up failed again');
          }
        }),
      );
    }
    this.log.info(
      { replayed: batch.length - failed, stillPending: failed },
      'pending state clean-ups replayed',
    );
  }
}
