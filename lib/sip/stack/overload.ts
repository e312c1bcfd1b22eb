/**
 * Overload shedding (RFC 3261 §21.5.4, RFC 7339 spirit): while the process is saturated, new
 * out-of-dialog INVITEs are refused with 503 + Retry-After before any transaction or TU work,
 * so the calls already admitted keep the CPU. Saturation = the event-loop delay (p99 over the
 * last sampling window, perf_hooks.monitorEventLoopDelay) above a threshold, or the number of
 * server transactions above a high-water mark. Hysteresis: shedding stops once the delay is back
 * under half the threshold. In-dialog requests, ACK, CANCEL and responses are never shed.
 */
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';

export interface OverloadOptions {
  /** Shed while the event-loop delay (p99 of a window, ms) exceeds this; 0 disables. Default 200. */
  maxEventLoopDelayMs?: number;
  /** Shed while more server transactions than this exist; 0 disables (default). */
  maxServerTransactions?: number;
  /** Retry-After seconds in the 503. Default 5. */
  retryAfterSeconds?: number;
  /** Sampling window (ms). Default 250. */
  sampleIntervalMs?: number;
  /** Test seam: the current event-loop delay in ms, instead of the perf_hooks histogram. */
  lagSource?: () => number;
}

export class OverloadGuard {
  readonly retryAfter: string;
  private readonly maxLagMs: number;
  private readonly maxServers: number;
  private readonly histogram: IntervalHistogram | undefined;
  private readonly timer: NodeJS.Timeout | undefined;
  private lagMs = 0;
  private lagShedding = false;

  constructor(o: OverloadOptions = {}) {
    this.maxLagMs = o.maxEventLoopDelayMs ?? 200;
    this.maxServers = o.maxServerTransactions ?? 0;
    this.retryAfter = String(o.retryAfterSeconds ?? 5);
    if (this.maxLagMs <= 0) return;
    const source = o.lagSource;
    if (source !== undefined) {
      this.sample = () => source();
      return;
    }
    const h = monitorEventLoopDelay({ resolution: 10 });
    h.enable();
    this.histogram = h;
    this.timer = setInterval(() => {
      this.lagMs = h.percentile(99) / 1e6;
      h.reset();
      this.update();
    }, o.sampleIntervalMs ?? 250);
    this.timer.unref();
  }

  /** Whether a new out-of-dialog INVITE must be refused now. */
  shouldShed(serverTransactions: number): boolean {
    if (this.maxServers > 0 && serverTransactions >= this.maxServers) return true;
    if (this.maxLagMs <= 0) return false;
    if (this.histogram === undefined) {
      this.lagMs = this.sample();
      this.update();
    }
    return this.lagShedding;
  }

  /** Last event-loop delay measured (ms). */
  get eventLoopDelayMs(): number {
    return this.lagMs;
  }

  close(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.histogram?.disable();
  }

  private sample: () => number = () => this.lagMs;

  private update(): void {
    if (this.lagMs > this.maxLagMs) this.lagShedding = true;
    else if (this.lagMs < this.maxLagMs / 2) this.lagShedding = false;
  }
}
