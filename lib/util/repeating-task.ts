/**
 * Work that repeats on a clock until stopped, the next run scheduled once the previous one has
 * settled (runs never overlap). A base class rather than closures: every held call keeps two of
 * these for its whole life (media-timeout watch, slot lease), and methods are shared.
 */
import type { Clock, TimerHandle } from './clock';

export abstract class RepeatingTask {
  private timer: TimerHandle | undefined;
  private stopped = false;

  protected constructor(protected readonly clock: Clock) {}

  /** One run; it handles its own errors (a rejection would go unhandled). */
  protected abstract run(): Promise<void>;

  /** The wait before the next run. */
  protected abstract delayMs(): number;

  /** The first run after delayMs(). */
  start(): void {
    this.schedule();
  }

  stop(): void {
    this.halt();
    this.timer?.cancel();
  }

  /** No runs after this one (a run in progress finishes). */
  protected halt(): void {
    this.stopped = true;
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = this.clock.setTimer(this.delayMs(), () => {
      void this.run().finally(() => {
        this.schedule();
      });
    });
  }
}
