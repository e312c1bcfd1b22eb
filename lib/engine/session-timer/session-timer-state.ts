/**
 * Session timer data (RFC 4028): the engine-wide settings, the per-dialog state, and reading /
 * writing the Session-Expires header (`delta-seconds[;refresher=uac|uas]`, §4).
 */
import type { TimerHandle } from '../../util/clock';

export type Refresher = 'uac' | 'uas';

export interface SessionTimerConfig {
  /** Our Min-SE (§5: at least 90 s); a smaller Session-Expires is answered 422 (§9). */
  minSe: number;
  /**
   * Refresher put into a 2xx when a UAC that supports timers named none (§9); `none` (drachtio-server's
   * default, and ours without configuration): then no timer. `palisade start` configures it.
   */
  defaultRefresher: Refresher | 'none';
  /** Length of a "second" in ms: 1000, or less in tests so that expiry fits a test run. */
  msPerSecond: number;
}

export const defaultSessionTimerConfig = (): SessionTimerConfig => ({
  minSe: 90,
  defaultRefresher: 'none',
  msPerSecond: 1000,
});

export interface SessionTimerState {
  /** Negotiated session interval, seconds. */
  interval: number;
  /** True when this side sends the refreshes (§7.1 / §9). */
  weRefresh: boolean;
  /** Min-SE for our refreshes: ours, raised by the peer's Min-SE or a 422 (§7.4). */
  minSe: number;
  timer: TimerHandle | undefined;
}

export interface SessionExpires {
  seconds: number;
  refresher: Refresher | undefined;
}

export function parseSessionExpires(value: string | undefined): SessionExpires | undefined {
  if (value === undefined) return undefined;
  const m = /^\s*(\d+)\s*(.*)$/.exec(value);
  if (!m?.[1]) return undefined;
  const r = /;\s*refresher\s*=\s*(uac|uas)/i.exec(m[2] ?? '')?.[1]?.toLowerCase();
  return { seconds: Number(m[1]), refresher: r === 'uac' || r === 'uas' ? r : undefined };
}

export function formatSessionExpires(se: SessionExpires): string {
  return se.refresher === undefined ? String(se.seconds) : `${se.seconds};refresher=${se.refresher}`;
}

/** Who refreshes once a 2xx carrying `se` ends an INVITE/UPDATE we sent (uac) or answered (uas). */
export function weRefreshAfter(se: SessionExpires, ourRole: Refresher): boolean {
  return (se.refresher ?? 'uac') === ourRole;
}
