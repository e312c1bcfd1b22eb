/**
 * The named timers of one transaction, on the queues shared by every transaction on its Clock
 * (timer-queues.ts). Starting a timer that is already running restarts it; a timer that fires is
 * forgotten before its owner hears of it, so the owner may start it again. A transaction runs at
 * most two timers at once (A+B, E+F, G+H), so they live in a short array, not a Map.
 */
import type { Clock } from '../../util/clock';
import { timerQueuesFor, type QueuedTimer, type TimerOwner, type TimerQueues } from './timer-queues';
import type { TimerName } from './timers';

export class TimerSet<N extends TimerName> implements TimerOwner {
  private running: QueuedTimer[] = [];
  private readonly queues: TimerQueues;

  constructor(
    clock: Clock,
    private readonly owner: { onTimer(name: N): void },
  ) {
    this.queues = timerQueuesFor(clock);
  }

  start(name: N, ms: number): void {
    this.cancel(name);
    this.running.push(this.queues.start(ms, this, name));
  }

  cancel(name: N): void {
    const entry = this.running.find((r) => r.name === name);
    if (entry === undefined) return;
    this.queues.cancel(entry);
    this.running = this.running.filter((r) => r !== entry);
  }

  cancelAll(): void {
    for (const r of this.running) this.queues.cancel(r);
    this.running = [];
  }

  /** Names of the timers currently running (for diagnostics and tests). */
  names(): N[] {
    return this.running.map((r) => r.name as N);
  }

  /** @internal from the queues */
  onTimer(name: TimerName): void {
    const entry = this.running.find((r) => r.name === name);
    if (entry === undefined) return;
    this.running = this.running.filter((r) => r !== entry);
    this.owner.onTimer(name as N);
  }
}
