/**
 * Idle detection on an injected clock. Activity only records a timestamp; the single pending
 * timer re-arms itself for the remaining time, so busy connections do not churn timers.
 */
import type { Clock, TimerHandle } from '../../util/clock';

export class IdleTimer {
  private last: number;
  private timer: TimerHandle | undefined;

  constructor(
    private readonly clock: Clock,
    private readonly timeoutMs: number,
    private readonly onIdle: () => void,
  ) {
    this.last = clock.now();
    if (timeoutMs > 0) this.arm(timeoutMs);
  }

  touch(): void {
    this.last = this.clock.now();
  }

  stop(): void {
    this.timer?.cancel();
    this.timer = undefined;
  }

  private arm(delay: number): void {
    this.timer = this.clock.setTimer(delay, () => {
      const quiet = this.clock.now() - this.last;
      if (quiet >= this.timeoutMs) {
        this.timer = undefined;
        this.onIdle();
      } else {
        this.arm(this.timeoutMs - quiet);
      }
    });
  }
}
