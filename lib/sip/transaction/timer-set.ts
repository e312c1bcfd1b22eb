/**
 * The named timers of one transaction, on the queues shared by every transaction on its Clock
 * (timer-queues.ts). Starting a timer that is already running restarts it; a timer that fires is
 * forgotten before its owner hears of it, so the owner may start it again. A transaction runs at
 * most two timers at once (A+B, E+F, G+H), so they live in a short list of exact length
 * (short-list.ts), not a Map: tens of thousands of transactions keep theirs while they wait out
 * Timers J/K/L/M.
 */
import type { Clock } from '../../util/clock';
import { timerQueuesFor, type QueuedTimer, type TimerOwner, type TimerQueues } from './timer-queues';
import type { TimerName } from './timers';
import { EMPTY_LIST, appended, without } from '../../util/short-list';

export class TimerSet<N extends TimerName> implements TimerOwner {
  private running: readonly QueuedTimer[] = EMPTY_LIST;
  private readonly queues: TimerQueues;

  constructor(
    clock: Clock,
    private readonly owner: { onTimer(name: N): void },
  ) {
    this.queues = timerQueuesFor(clock);
  }

  start(name: N, ms: number): void {
    this.cancel(name);
    this.running = appended(this.running, this.queues.start(ms, this, name));
  }

  cancel(name: N): void {
    const entry = this.running.find((r) => r.name === name);
    if (entry === undefined) return;
    this.queues.cancel(entry);
    this.running = without(this.running, entry);
  }

  cancelAll(): void {
    for (const r of this.running) this.queues.cancel(r);
    this.running = EMPTY_LIST;
  }

  /** Names of the timers currently running (for diagnostics and tests). */
  names(): N[] {
    return this.running.map((r) => r.name as N);
  }

  /** @internal from the queues */
  onTimer(name: TimerName): void {
    const entry = this.running.find((r) => r.name === name);
    if (entry === undefined) return;
    this.running = without(this.running, entry);
    this.owner.onTimer(name as N);
  }
}
