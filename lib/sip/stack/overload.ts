/**
 * Overload shedding (RFC 3261 §21.5.4, RFC 7339 spirit): while the process is saturated, new
 * out-of-dialog requests that create work (INVITE, REGISTER, SUBSCRIBE, MESSAGE, …) are refused
 * with 503 + Retry-After before any transaction or TU work, so the calls already admitted keep
 * the CPU. Saturation = the event-loop delay (p99 over the last sampling window,
 * perf_hooks.monitorEventLoopDelay) above a threshold for two windows in a row, the number of server transactions above a
 * high-water mark, or more such requests admitted in the last second than a cap (a UDP flood
 * the loop still keeps up with). Hysteresis: lag shedding stops once the delay is back under half
 * the threshold. Opt-in: the receive-queue delay (and/or event-loop utilisation) drives an
 * adaptive admission cap (admission-governor.ts): under UDP overload the backlog waits in the
 * kernel's socket queue, where the event-loop delay cannot see it (lib/sip/transport/queue-probe.ts).
 * In-dialog requests, ACK, CANCEL, OPTIONS (keepalive pings) and responses are never shed.
 */
import { monitorEventLoopDelay, performance, type IntervalHistogram } from 'node:perf_hooks';
import { RateWindow } from './rate-window';
import { AdmissionGovernor } from './admission-governor';

export interface OverloadOptions {
  /** Shed while the event-loop delay (p99 of a window, ms) exceeds this; 0 disables. Default 200. */
  maxEventLoopDelayMs?: number;
  /**
   * Windows in a row the delay must exceed `maxEventLoopDelayMs` before shedding starts. Default
   * 2: one long pause (a major GC with tens of thousands of calls held) is not saturation, and
   * shedding on it refused calls at a quarter of the rate the process carries; a saturated loop
   * stays behind window after window.
   */
  sustainedWindows?: number;
  /** Shed while more server transactions than this exist; 0 disables (default). */
  maxServerTransactions?: number;
  /** Shed once this many sheddable requests were admitted in the last second; 0 disables (default). */
  maxNewRequestsPerSecond?: number;
  /**
   * Adaptive admission cap (admission-governor.ts) while, for three sampling windows in a row, the
   * event loop is busy at least this share (0–1) of the time; 0 disables. Default 0 (off, as the
   * config's engine.overload: near capacity it has refused calls the process still carried). With
   * `maxQueueDelayMs` too, both must hold: a loop that looks busy because other processes take
   * the CPU, but still reads every datagram promptly, is not overloaded.
   */
  maxEventLoopUtilization?: number;
  /**
   * … and requests wait at least this long (ms) in the UDP receive queue
   * (lib/sip/transport/queue-probe.ts); 0 disables. Default 0 (off; e.g. 50 with a utilisation
   * of 0.97). Needs `queueDelaySource`.
   */
  maxQueueDelayMs?: number;
  /** The receive-queue delay (ms) since the previous call (TransportManager.queueDelayMs). */
  queueDelaySource?: () => number;
  /** Retry-After seconds in the 503. Default 5. */
  retryAfterSeconds?: number;
  /** Sampling window (ms). Default 250. */
  sampleIntervalMs?: number;
  /**
   * The event-loop delay (ms) of another thread whose saturation counts as this one's: the app
   * thread of an engine running in a worker (lib/engine/thread) — the calls queue up there.
   */
  peerLagMs?: () => number;
  /** Test seam: the current event-loop delay in ms, instead of the perf_hooks histogram. */
  lagSource?: () => number;
  /** Test seam: the event-loop utilisation of the window just ended; windows then end on `tick()` only. */
  utilizationSource?: () => number;
  /** Test seam: no sampling timer, windows end on `tick()` only. */
  manualWindows?: boolean;
  /** Test seam: milliseconds of a monotonic clock (default performance.now). */
  now?: () => number;
}

const NEVER_SHED = new Set(['ACK', 'CANCEL', 'OPTIONS']);

/**
 * Why a request was shed: too many server transactions, the event-loop delay, the per-second
 * cap, or the admission governor (a busy loop with requests queueing in the socket).
 */
export const SHED_REASONS = ['transactions', 'lag', 'rate', 'busy'] as const;
export type ShedReason = (typeof SHED_REASONS)[number];

/** Utilisation (0–1) of the event loop since the previous call (perf_hooks). */
function utilizationSampler(): () => number {
  let last = performance.eventLoopUtilization();
  return () => {
    const now = performance.eventLoopUtilization();
    const u = performance.eventLoopUtilization(now, last).utilization;
    last = now;
    return u;
  };
}

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
  private readonly governor: AdmissionGovernor | undefined;
  private readonly pressure: (() => number) | undefined;
  private queueMs = 0;
  private lastQueueMs = 0;
  private readonly draining: () => boolean = () => false;
  private lagMs = 0;
  private lagShedding = false;
  private readonly sustainedWindows: number;
  private windowsOver = 0;
  private readonly peerLag: () => number;

  constructor(o: OverloadOptions = {}) {
    this.maxLagMs = o.maxEventLoopDelayMs ?? 200;
    this.sustainedWindows = Math.max(1, o.sustainedWindows ?? 2);
    this.peerLag = o.peerLagMs ?? (() => 0);
    this.maxServers = o.maxServerTransactions ?? 0;
    const cap = o.maxNewRequestsPerSecond ?? 0;
    const now = o.now ?? (() => performance.now());
    if (cap > 0) {
      this.rate = new RateWindow(cap, 1000, now);
      this.answers = new RateWindow(cap, 1000, now);
    }
    this.retryAfter = String(o.retryAfterSeconds ?? 5);
    const maxQueue = o.maxQueueDelayMs ?? 0;
    const queue = maxQueue > 0 ? o.queueDelaySource : undefined;
    const maxUtil = o.maxEventLoopUtilization ?? 0;
    const util = maxUtil > 0 ? (o.utilizationSource ?? utilizationSampler()) : undefined;
    const signals: (() => number)[] = [];
    if (queue !== undefined)
      signals.push(() => {
        this.lastQueueMs = this.queueMs;
        this.queueMs = queue();
        return this.queueMs / maxQueue;
      });
    if (util !== undefined) signals.push(() => util() / maxUtil);
    if (signals.length > 0) {
      this.governor = new AdmissionGovernor();
      // both set: saturated only when the loop is busy AND requests queue (the lower pressure)
      this.pressure = () => Math.min(...signals.map((f) => f()));
      if (queue !== undefined) this.draining = () => this.queueMs < this.lastQueueMs * 0.8;
    }
    const source = o.lagSource;
    if (this.maxLagMs > 0 && source !== undefined) this.sample = () => source();
    if (this.maxLagMs > 0 && source === undefined) {
      const h = monitorEventLoopDelay({ resolution: 10 });
      h.enable();
      this.histogram = h;
    }
    const manual = o.utilizationSource !== undefined || o.manualWindows === true;
    if (this.histogram === undefined && (this.governor === undefined || manual)) return;
    this.timer = setInterval(() => {
      this.tick();
    }, o.sampleIntervalMs ?? 250);
    this.timer.unref();
  }

  /** End a sampling window: read the event-loop delay and utilisation (the timer calls it). */
  tick(): void {
    const h = this.histogram;
    if (h !== undefined) {
      this.lagMs = Math.max(h.percentile(99) / 1e6, this.peerLag());
      h.reset();
      this.update();
    }
    if (this.pressure !== undefined) this.governor?.window(this.pressure(), this.draining());
  }

  /**
   * Whether a new sheddable request must be refused now (false: it is admitted and counted).
   * `request`: one carrying (Proxy-)Authorization most likely answers a 401/407 we sent; under
   * the rate cap it draws on a second budget of the same size, and the utilisation cap lets it
   * through: a storm of new REGISTERs cannot starve the second half of exchanges already admitted
   * (otherwise most admitted devices fail at their authenticated retry and come back, doubling
   * the storm).
   */
  shouldShed(serverTransactions: number, request?: HeaderSource): boolean {
    return this.shedReason(serverTransactions, request) !== undefined;
  }

  /** As shouldShed, with the reason a request is refused (undefined: admitted and counted). */
  shedReason(serverTransactions: number, request?: HeaderSource): ShedReason | undefined {
    if (this.maxServers > 0 && serverTransactions >= this.maxServers) return 'transactions';
    if (this.lagSaturated()) return 'lag';
    let answer: boolean | undefined;
    if (this.rate !== undefined) {
      answer = request !== undefined && carriesCredentials(request);
      const window = answer ? this.answers : this.rate;
      if (window !== undefined && !window.tryTake()) return 'rate';
    }
    if (this.governor === undefined || this.governor.admit()) return undefined;
    // capped by the governor: answers to our challenges still pass (headers read only now)
    return (answer ?? (request !== undefined && carriesCredentials(request))) ? undefined : 'busy';
  }

  /** New requests the admission governor lets through per sampling window while capped (else undefined). */
  get admissionCap(): number | undefined {
    return this.governor?.capPerWindow;
  }

  /** Receive-queue delay of the last sampling window (ms). */
  get queueDelayMs(): number {
    return this.queueMs;
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
    if (this.lagMs > this.maxLagMs) {
      this.windowsOver++;
      if (this.windowsOver >= this.sustainedWindows) this.lagShedding = true;
      return;
    }
    this.windowsOver = 0;
    if (this.lagMs < this.maxLagMs / 2) this.lagShedding = false;
  }
}
