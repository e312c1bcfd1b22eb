/**
 * The named timers of one transaction, run on the injected Clock (lib/util/clock.ts). Starting a
 * timer that is already running restarts it; a timer that fires is forgotten before its callback
 * runs, so the callback may start it again.
 */
import type { Clock, TimerHandle } from '../../util/clock';
import type { TimerName } from './timers';

export class TimerSet<N extends TimerName> {
  private readonly running = new Map<N, TimerHandle>();

  constructor(
    private readonly clock: Clock,
    private readonly onFire: (name: N) => void,
  ) {}

  start(name: N, ms: number): void {
    this.cancel(name);
    const handle = this.clock.setTimer(ms, () => {
      this.running.delete(name);
      this.onFire(name);
    });
    this.running.set(name, handle);
  }

  cancel(name: N): void {
    this.running.get(name)?.cancel();
    this.running.delete(name);
  }

  cancelAll(): void {
    for (const handle of this.running.values()) handle.cancel();
    this.running.clear();
  }

  /** Names of the timers currently running (for diagnostics and tests). */
  names(): N[] {
    return [...this.running.keys()];
  }
}
