/**
 * Ordered teardown: every component registers how to stop itself as it starts; shutdown (or a
 * failed start-up) runs them in reverse order, each bounded in time, never skipping the rest
 * when one fails.
 */
import { toError } from '../util/errors';
import type { Log } from '../util/logger';

interface Closer {
  name: string;
  close: () => Promise<void> | void;
}

export class Closers {
  private readonly stack: Closer[] = [];
  private closing: Promise<void> | undefined;

  constructor(
    private readonly log: Log,
    private readonly stepTimeoutMs = 5000,
  ) {}

  add(name: string, close: () => Promise<void> | void): void {
    this.stack.push({ name, close });
  }

  /** Idempotent: a second call waits for the first. */
  closeAll(): Promise<void> {
    this.closing ??= this.run();
    return this.closing;
  }

  private async run(): Promise<void> {
    for (const c of this.stack.splice(0).reverse()) {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<'timeout'>((resolve) => {
        timer = setTimeout(() => {
          resolve('timeout');
        }, this.stepTimeoutMs);
      });
      try {
        const outcome = await Promise.race([Promise.resolve(c.close()), timeout]);
        if (outcome === 'timeout') this.log.warn({ component: c.name }, 'shutdown step timed out');
      } catch (e) {
        this.log.error({ component: c.name, err: toError(e) }, 'shutdown step failed');
      } finally {
        clearTimeout(timer);
      }
    }
  }
}
