/**
 * How long ng call commands wait for their replies: the signal admission (sbc-app.ts) refuses new
 * calls on. Under overload the B2BUA thread takes new INVITEs faster than it reads ng replies, so
 * replies queue in our socket (or commands in rtpengine's) until commands time out and calls
 * fail late.
 *
 * The signal is a standing delay in the manner of CoDel (RFC 8289): the shortest round trip among
 * the commands answered in the last two windows. A burst or a pause (a major GC) delays some
 * replies, but those sent after it come back quickly and keep the minimum low; only a queue that
 * persists through both windows raises every round trip. One window is not enough: after a single
 * 150–250 ms stall of this thread, every reply read in the window that follows it is late (the
 * thread catches up on the SIP that queued meanwhile too), and a one-window signal refused calls
 * the machine then carried. A window through which commands waited without
 * any answer counts as a delay of the whole window, not more: this thread may have been the one
 * blocked (a long GC pause), and the replies then wait in its socket, on time. An engine whose
 * last command timed out is left out (counted again once it answers): a dead engine is
 * failover's job, and one dead engine among several must not refuse every new call.
 */
import { formatNgAddress, type NgAddress } from './ng-address';

interface EngineBacklog {
  pending: number;
  /** The last command to settle got no reply. */
  silent: boolean;
}

/** The length of a window (ms): long enough to hold many round trips at any useful rate. */
export const NG_DELAY_WINDOW_MS = 100;

export class NgBacklog {
  private readonly engines = new Map<string, EngineBacklog>();
  private total = 0;
  private windowEnd: number;
  private windowMin = Infinity;
  /** Counted commands pending when the current window began. */
  private pendingAtStart = 0;
  /** The last full window's shortest round trip (ms). */
  private lastWindow = 0;
  /** The one before it. */
  private windowBefore = 0;

  constructor(private readonly now: () => number = () => performance.now()) {
    this.windowEnd = now() + NG_DELAY_WINDOW_MS;
  }

  /** A command to `target` was sent; call the returned function once it settles (true: no reply). */
  begin(target: NgAddress): (timedOut: boolean) => void {
    const key = formatNgAddress(target);
    let e = this.engines.get(key);
    if (e === undefined) {
      e = { pending: 0, silent: false };
      this.engines.set(key, e);
    }
    const engine = e;
    const sentAt = this.now();
    this.roll(sentAt);
    engine.pending++;
    if (!engine.silent) this.total++;
    let settled = false;
    return (timedOut) => {
      if (settled) return;
      settled = true;
      if (!engine.silent) this.total--;
      engine.pending--;
      if (!timedOut) {
        const now = this.now();
        this.roll(now);
        this.windowMin = Math.min(this.windowMin, now - sentAt);
      }
      if (timedOut === engine.silent) return;
      // moving in or out of the count takes the engine's other pending commands along
      this.total += timedOut ? -engine.pending : engine.pending;
      engine.silent = timedOut;
    };
  }

  /** Commands awaiting replies from engines that answered their last settled command. */
  get pending(): number {
    return this.total;
  }

  /**
   * The shortest round trip (ms) of the commands answered in the last two full windows; a window
   * through which commands waited without any answer counts as its length, one where none
   * waited as 0.
   */
  standingDelayMs(): number {
    this.roll(this.now());
    return Math.min(this.lastWindow, this.windowBefore);
  }

  private roll(now: number): void {
    if (now < this.windowEnd) return;
    // no event at all for a whole window: the last full window began with the current pending count
    const skipped = now >= this.windowEnd + NG_DELAY_WINDOW_MS;
    // (those since timed out, or left out with their engine, no longer count)
    const waitedAtStart = skipped ? this.total : Math.min(this.pendingAtStart, this.total);
    this.windowBefore = this.lastWindow;
    if (this.windowMin < Infinity && !skipped) this.lastWindow = this.windowMin;
    // commands waited through the window unanswered: their round trip exceeds it
    else this.lastWindow = waitedAtStart > 0 ? NG_DELAY_WINDOW_MS : 0;
    this.windowMin = Infinity;
    this.pendingAtStart = this.total;
    this.windowEnd = now + NG_DELAY_WINDOW_MS;
  }
}
