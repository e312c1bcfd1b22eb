/**
 * Injected clock so that timers (SIP transaction timers, keepalives, health checks) can be driven
 * deterministically in tests.
 */
export interface TimerHandle {
  cancel(): void;
}

export interface Clock {
  /** Milliseconds, monotonic. */
  now(): number;
  setTimer(delayMs: number, fire: () => void): TimerHandle;
}

/** A handle without a closure: held calls keep a few timers each for their whole life. */
class SystemTimer implements TimerHandle {
  constructor(private readonly timeout: NodeJS.Timeout) {}

  cancel(): void {
    clearTimeout(this.timeout);
  }
}

export const systemClock: Clock = {
  now: () => performance.now(),
  setTimer(delayMs, fire) {
    const t = setTimeout(fire, delayMs);
    t.unref();
    return new SystemTimer(t);
  },
};

/** A clock that only moves when told to; timers fire in due order during advance(). */
export class FakeClock implements Clock {
  private current = 0;
  private seq = 0;
  private readonly pending = new Map<number, { due: number; fire: () => void }>();

  now(): number {
    return this.current;
  }

  setTimer(delayMs: number, fire: () => void): TimerHandle {
    const id = this.seq++;
    this.pending.set(id, { due: this.current + Math.max(0, delayMs), fire });
    return { cancel: () => this.pending.delete(id) };
  }

  /** Move time forward, firing every timer that falls due (including ones scheduled meanwhile). */
  advance(ms: number): void {
    const target = this.current + ms;
    for (;;) {
      let nextId = -1;
      let nextDue = Infinity;
      for (const [id, t] of this.pending) {
        if (t.due <= target && t.due < nextDue) {
          nextDue = t.due;
          nextId = id;
        }
      }
      if (nextId < 0) break;
      const timer = this.pending.get(nextId);
      this.pending.delete(nextId);
      this.current = nextDue;
      timer?.fire();
    }
    this.current = target;
  }

  get pendingCount(): number {
    return this.pending.size;
  }
}
