/**
 * A sliding-window rate counter (two fixed windows, the previous one weighted by how much of it
 * still overlaps the sliding window): `tryTake` admits an event while fewer than `cap` were
 * admitted over the last `windowMs`. O(1) per event, no timers.
 */
export class RateWindow {
  private start: number;
  private count = 0;
  private previous = 0;

  constructor(
    private readonly cap: number,
    private readonly windowMs: number,
    private readonly now: () => number,
  ) {
    this.start = now();
  }

  /** Admit one event if under the cap (and count it); false when the cap is reached. */
  tryTake(): boolean {
    if (this.current() >= this.cap) return false;
    this.count++;
    return true;
  }

  /** Estimated events admitted over the last window. */
  current(): number {
    const t = this.now();
    const elapsed = t - this.start;
    if (elapsed >= 2 * this.windowMs) {
      this.previous = 0;
      this.count = 0;
      this.start = t;
    } else if (elapsed >= this.windowMs) {
      this.previous = this.count;
      this.count = 0;
      this.start += this.windowMs;
    }
    const overlap = 1 - (t - this.start) / this.windowMs;
    return this.previous * overlap + this.count;
  }
}
