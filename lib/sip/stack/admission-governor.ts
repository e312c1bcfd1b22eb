/**
 * Adaptive admission cap (RFC 7339 §1 / RFC 6357 §4 spirit: throttle new work at the server that
 * is overloaded, before everything times out). Fed once per window with a pressure: the measured
 * signal divided by its threshold (receive-queue delay / maxQueueDelayMs, or event-loop
 * utilisation / maxEventLoopUtilization; overload.ts), so ≥ 1 means saturated.
 *
 * `saturateWindows` saturated windows in a row cap the window's admissions at 80 % of what was
 * admitted (multiplicative decrease, never below `minPerWindow`), again every saturated window
 * unless the backlog is already draining (the caller says so, or the pressure fell fast): a busy
 * loop working off a queue under the cap must not be cut further, or the cap collapses to its
 * floor and refuses what the node can take (measured near capacity: half the calls refused). While capped, each window below saturation raises the
 * cap with the headroom (×1/pressure, between ×1.05 and ×1.5, + 1: probing back up gently, so the
 * queue does not refill at once); a window below saturation that refused nothing lifts the cap.
 * Pure: `window()` and `admit()` only.
 */

export interface GovernorOptions {
  /** Saturated windows in a row before the first cap (a short stall is not overload). Default 3 (750 ms of 250 ms windows). */
  saturateWindows?: number;
  /** The cap never goes below this many per window (light traffic is never refused). Default 10. */
  minPerWindow?: number;
}

const DECREASE = 0.8;
const MIN_INCREASE = 1.05;
const MAX_INCREASE = 1.5;
/** A pressure below this share of the previous window's counts as falling fast. */
const FALLING = 0.8;

export class AdmissionGovernor {
  /** Admissions allowed per window; undefined = not capped. */
  private cap: number | undefined;
  private admitted = 0;
  private refused = 0;
  private saturatedRun = 0;
  private lastPressure = 0;
  private readonly need: number;
  private readonly floor: number;

  constructor(o: GovernorOptions = {}) {
    this.need = Math.max(1, o.saturateWindows ?? 3);
    this.floor = Math.max(1, o.minPerWindow ?? 10);
  }

  /** Admit one new request in the current window (false: refuse it). */
  admit(): boolean {
    if (this.cap !== undefined && this.admitted >= this.cap) {
      this.refused++;
      return false;
    }
    this.admitted++;
    return true;
  }

  /**
   * Close the current window with its pressure (signal / threshold) and start the next one.
   * `draining`: the backlog shrank during the window (e.g. the receive-queue delay fell) — while
   * capped, a saturated window then holds the cap instead of cutting it.
   */
  window(pressure: number, draining = false): void {
    const saturated = pressure >= 1;
    const falling = this.cap !== undefined && (draining || pressure < this.lastPressure * FALLING);
    this.lastPressure = pressure;
    this.saturatedRun = saturated ? this.saturatedRun + 1 : 0;
    if (saturated && falling) {
      // draining: hold the cap
    } else if (saturated && this.saturatedRun >= this.need) {
      const base = Math.min(this.cap ?? this.admitted, this.admitted);
      this.cap = Math.max(this.floor, Math.floor(base * DECREASE));
    } else if (!saturated && this.cap !== undefined) {
      const factor = Math.min(MAX_INCREASE, Math.max(MIN_INCREASE, 1 / Math.max(pressure, 0.01)));
      this.cap = this.refused === 0 ? undefined : Math.ceil(this.cap * factor) + 1;
    }
    this.admitted = 0;
    this.refused = 0;
  }

  /** The current cap per window (undefined when not capped). */
  get capPerWindow(): number | undefined {
    return this.cap;
  }
}
