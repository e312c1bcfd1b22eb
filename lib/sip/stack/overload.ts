/**
 * Overload shedding (RFC 3261 §21.5.4, RFC 7339 spirit): while the process is saturated, new
 * out-of-dialog requests that create work (INVITE, REGISTER, SUBSCRIBE, MESSAGE, …) are refused
 * with 503 + Retry-After before any transaction or TU work, so the calls already admitted keep
 * the CPU. Saturation = the event-loop delay (p99 over the last sampling window,
 * perf_hooks.monitorEventLoopDelay) above a threshold, the number of server transactions above a
 * high-water mark, or more such requests admitted in the last second than a cap (a UDP flood
 * the loop still keeps up with). Hysteresis: lag shedding stops once the delay is back under half
 * the threshold. In-dialog requests, ACK, CANCEL, OPTIONS (keepalive pings) and responses are
 * never shed.
 */
import { monitorEventLoopDelay, performance, type IntervalHistogram } from 'node:perf_hooks';
import { RateWindow } from './rate-window';

export interface OverloadOptions {
  /** Shed while the event-loop delay (p99 of a window, ms) exceeds this; 0 disables. Default 200. */
  maxEventLoopDelayMs?: number;
  /** Shed while more server transactions than this exist; 0 disables (default). */
  maxServerTransactions?: number;
  /** Shed once this many sheddable requests were admitted in the last second; 0 disables (default). */
  maxNewRequestsPerSecond?: number;
  /** Retry-After seconds in the 503. Default 5. */
  retryAfterSeconds?: number;
  /** Sampling window (ms). Default 250. */
  sampleIntervalMs?: number;
  /** Test seam: the current event-loop delay in ms, instead of the perf_hooks histogram. */
  lagSource?: () => number;
  /** Test seam: milliseconds of a monotonic clock (default performance.now). */
  now?: () => number;
}

const NEVER_SHED = new Set(['ACK', 'CANCEL', 'OPTIONS']);

/** The one thing the guard reads of a request. */
export interface HeaderSource {
  header(name: string): string | undefined;
}

/** (Proxy-)Authorization present: most likely the answer to a 401/407 we sent (RFC 3261 §22.2). */
function carriesCredentials(r: HeaderSource): boolean {
  return r.header('authorization') !== undefined || r.header('proxy-authorization') !== undefined;
}

/** Whether a request may be shed: out of dialog (no To tag, §12.2.2) and not ACK/CANCEL/OPTIONS. */
export function isSheddable(method: string, toTag: string | undefined): boolean {
  return toTag === undefined && !NEVER_SHED.has(method);
}

export class OverloadGuard {
  readonly retryAfter: string;
  private readonly maxLagMs: number;
  private readonly maxServers: number;
  private readonly histogram: IntervalHistogram | undefined;
  private readonly timer: NodeJS.Timeout | undefined;
  private readonly rate: RateWindow | undefined;
  /** Retries answering our digest challenge get their own budget (see shouldShed). */
  private readonly answers: RateWindow | undefined;
  private lagMs = 0;
  private lagShedding = false;

  constructor(o: OverloadOptions = {}) {
    this.maxLagMs = o.maxEventLoopDelayMs ?? 200;
    this.maxServers = o.maxServerTransactions ?? 0;
    const cap = o.maxNewRequestsPerSecond ?? 0;
    const now = o.now ?? (() => performance.now());
    if (cap > 0) {
      this.rate = new RateWindow(cap, 1000, now);
      this.answers = new RateWindow(cap, 1000, now);
    }
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

  /**
   * Whether a new sheddable request must be refused now (false: it is admitted and counted).
   * `request` (read only under a rate cap): one carrying (Proxy-)Authorization most likely answers a
   * 401/407 we sent and draws on a second budget of the same size: a storm of new REGISTERs cannot starve the second half of exchanges already admitted (otherwise most
   * admitted devices fail at their authenticated retry and come back, doubling the storm).
   */
  shouldShed(serverTransactions: number, request?: HeaderSource): boolean {
    if (this.maxServers > 0 && serverTransactions >= this.maxServers) return true;
    if (this.lagSaturated()) return true;
    if (this.rate === undefined) return false;
    const window = request !== undefined && carriesCredentials(request) ? this.answers : this.rate;
    return window !== undefined && !window.tryTake();
  }

  /** Sheddable requests admitted over the last second (0 when no rate cap is set). */
  get admittedPerSecond(): number {
    return this.rate?.current() ?? 0;
  }

  private lagSaturated(): boolean {
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
