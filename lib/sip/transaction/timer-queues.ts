/**
 * The transaction timers of every transaction on one Clock, in one FIFO queue per duration: a
 * timer started later with the same duration is due later, so each queue is in due order and
 * needs one clock timer, for its head. Tens of thousands of transactions wait out Timers J/K/L/M
 * (up to 64·T1) at high call rates; a queue entry costs one small object where a clock timer per
 * transaction timer cost a timeout object, a handle and two closures.
 */
import type { Clock, TimerHandle } from '../../util/clock';
import type { TimerName } from './timers';

/** Whoever is told when a timer fires (a transaction runner). */
export interface TimerOwner {
  onTimer(name: TimerName): void;
}

/** A started timer; `cancel` on the queues forgets it. */
export class QueuedTimer {
  constructor(
    readonly due: number,
    readonly duration: number,
    public owner: TimerOwner | undefined,
    readonly name: TimerName,
  ) {}
}

class DurationQueue {
  entries: QueuedTimer[] = [];
  head = 0;
  /** Cancelled entries still queued (they go when they reach the head, or in a sweep). */
  cancelled = 0;
  armed: TimerHandle | undefined;
}

/** Sweep a queue once this many entries behind its head are cancelled, and they are most of it. */
const SWEEP_MIN = 1024;

export class TimerQueues {
  private readonly queues = new Map<number, DurationQueue>();

  constructor(private readonly clock: Clock) {}

  start(ms: number, owner: TimerOwner, name: TimerName): QueuedTimer {
    const duration = Math.max(0, Math.ceil(ms));
    const timer = new QueuedTimer(Math.ceil(this.clock.now()) + duration, duration, owner, name);
    let queue = this.queues.get(duration);
    if (queue === undefined) {
      queue = new DurationQueue();
      this.queues.set(duration, queue);
    }
    queue.entries.push(timer);
    if (queue.armed === undefined) this.arm(queue, duration);
    return timer;
  }

  /**
   * A cancelled entry no longer reaches its owner. At the head it goes at once, so that a queue
   * holding nothing live keeps no clock timer running. Behind the head it stays queued until it
   * reaches the head, or until cancelled entries are most of the queue: Timer B and F (64·T1) are
   * nearly all cancelled by a response within milliseconds, and would otherwise keep 32 s worth of
   * entries.
   */
  cancel(timer: QueuedTimer): void {
    if (timer.owner === undefined) return;
    timer.owner = undefined;
    const queue = this.queues.get(timer.duration);
    if (queue === undefined) return;
    queue.cancelled++;
    if (queue.entries[queue.head] === timer) {
      this.arm(queue, timer.duration);
      return;
    }
    if (queue.cancelled >= SWEEP_MIN && queue.cancelled * 2 > queue.entries.length - queue.head) {
      queue.entries = queue.entries.slice(queue.head).filter((e) => e.owner !== undefined);
      queue.head = 0;
      queue.cancelled = 0;
    }
  }

  /** Entries the queues still hold, cancelled ones not yet dropped included (diagnostics, tests). */
  get held(): number {
    let n = 0;
    for (const q of this.queues.values()) n += q.entries.length;
    return n;
  }

  /** (Re)arms the queue's clock timer for its first live entry, or drops an empty queue. */
  private arm(queue: DurationQueue, duration: number): void {
    queue.armed?.cancel();
    let next = queue.entries[queue.head];
    while (next?.owner === undefined && next !== undefined) {
      queue.cancelled--;
      next = queue.entries[++queue.head];
    }
    if (next === undefined) {
      queue.armed = undefined;
      this.queues.delete(duration);
      return;
    }
    // Drop the spent prefix now and then: a queue that never empties (Timer B at a steady call
    // rate, every entry cancelled by a 1xx) would otherwise keep every entry it ever had.
    if (queue.head > 1024 && queue.head * 2 > queue.entries.length) {
      queue.entries = queue.entries.slice(queue.head);
      queue.head = 0;
    }
    const wait = Math.max(0, next.due - this.clock.now());
    queue.armed = this.clock.setTimer(wait, () => {
      this.fire(queue, duration);
    });
  }

  private fire(queue: DurationQueue, duration: number): void {
    queue.armed = undefined;
    const now = this.clock.now();
    for (let next = queue.entries[queue.head]; next !== undefined && next.due <= now;) {
      queue.head++;
      const owner = next.owner;
      if (owner === undefined) queue.cancelled--;
      next.owner = undefined;
      owner?.onTimer(next.name);
      next = queue.entries[queue.head];
    }
    this.arm(queue, duration);
  }
}

const byClock = new WeakMap<Clock, TimerQueues>();

/** The queues shared by every transaction on `clock`. */
export function timerQueuesFor(clock: Clock): TimerQueues {
  let queues = byClock.get(clock);
  if (queues === undefined) {
    queues = new TimerQueues(clock);
    byClock.set(clock, queues);
  }
  return queues;
}
