/**
 * Session timer data (RFC 4028): the engine-wide settings, the per-dialog state, and reading /
 * writing the Session-Expires header (`delta-seconds[;refresher=uac|uas]`, §4).
 */
import type { TimerHandle } from '../../util/clock';
import type { RefreshMethodSetting } from './refresh-method';

export type Refresher = 'uac' | 'uas';

export interface SessionTimerConfig {
  /** Our Min-SE (§5: at least 90 s); a smaller Session-Expires is answered 422 (§9). */
  minSe: number;
  /**
   * Refresher put into a 2xx when a UAC that supports timers named none (§9); `none` (drachtio-server's
   * default, and ours without configuration): then no timer. `palisade start` configures it.
   */
  defaultRefresher: Refresher | 'none';
  /**
   * Method of our refreshes (§7.4, §9: UPDATE is RECOMMENDED, it needs no ACK and no offer):
   * `invite` (drachtio-server's, the default without configuration), `update`, or `auto` (UPDATE
   * when the peer's Allow lists it, refresh-method.ts).
   */
  refreshMethod: RefreshMethodSetting;
  /** Length of a "second" in ms: 1000, or less in tests so that expiry fits a test run. */
  msPerSecond: number;
}

export const defaultSessionTimerConfig = (): SessionTimerConfig => ({
  minSe: 90,
  defaultRefresher: 'none',
  refreshMethod: 'invite',
  msPerSecond: 1000,
});

/** Our refresh transaction while it has no final response (or its 2xx no ACK sent). */
export interface RefreshInFlight {
  readonly method: 'INVITE' | 'UPDATE';
  /** Resumes app requests held meanwhile (refresh-hold.ts), in the order they came. */
  readonly held: (() => void)[];
}

export interface SessionTimerState {
  /** Negotiated session interval, seconds. */
  interval: number;
  /** True when this side sends the refreshes (§7.1 / §9). */
  weRefresh: boolean;
  /** Min-SE for our refreshes: ours, raised by the peer's Min-SE or a 422 (§7.4). */
  minSe: number;
  timer: TimerHandle | undefined;
  /** Clock time (ms) this interval started: the last refresh, or when the timer was armed. */
  since: number;
  /** 491s our refreshes met in this interval (capped, refresh-outcome.ts). */
  glares: number;
  /**
   * Our refresh in flight (a peer INVITE meanwhile gets 491, RFC 3261 §14.2; an app's INVITE/UPDATE
   * waits for it, §14.1, refresh-hold.ts). Kept when the interval restarts while it is out.
   */
  inFlight?: RefreshInFlight | undefined;
  /** We gave up refreshing this interval: the timer now ends the session at its expiry (§10). */
  gaveUp?: boolean | undefined;
  /** The peer's Allow lists UPDATE (undefined: no Allow seen), for `refreshMethod: auto`. */
  peerAllowsUpdate?: boolean | undefined;
  /** The peer refused an UPDATE refresh with 405/501: re-INVITE from then on. */
  updateRefused?: boolean | undefined;
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

/**
 * Seconds from the start of an interval to the point where the session is given up: §10's
 * "slightly before the session expiration", min(32, interval/3) before it.
 */
export function expirySeconds(interval: number): number {
  return interval - Math.min(32, interval / 3);
}

/** Who refreshes once a 2xx carrying `se` ends an INVITE/UPDATE we sent (uac) or answered (uas). */
export function weRefreshAfter(se: SessionExpires, ourRole: Refresher): boolean {
  return (se.refresher ?? 'uac') === ourRole;
}
