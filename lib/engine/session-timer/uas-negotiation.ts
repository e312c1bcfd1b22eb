/**
 * What a UAS answers to a session refresh request (INVITE / UPDATE), RFC 4028 §9. Pure.
 *
 * | UAC supports `timer` | refresher in request | refresher in our 2xx (§9 table 2)      |
 * |----------------------|----------------------|----------------------------------------|
 * | no                   | any / none           | uas (the UAC cannot refresh)           |
 * | yes                  | none                 | our choice: the configured default     |
 * | yes                  | uac                  | uac                                    |
 * | yes                  | uas                  | uas                                    |
 *
 * A default of `none` (drachtio-server's) runs no timer when the request named no refresher.
 * No Session-Expires in the request: the UAC did not ask for a timer, none is run (§9 lets the
 * UAS ask for one; we do not). A Session-Expires below our Min-SE is refused 422 only when the
 * UAC supports timers (it can retry, §7.4); otherwise it is raised to our Min-SE (RFC 4028 errata
 * 1687, as §8.1 for proxies). `Require: timer` goes with refresher=uac (MUST) and whenever the
 * UAC supports timers, never towards one that does not.
 */
import type { Refresher, SessionExpires } from './session-timer-state';

export interface RefreshRequestView {
  /** Session-Expires of the request, if any (parsed). */
  sessionExpires: SessionExpires | undefined;
  /** Min-SE of the request, if any. */
  minSe: number | undefined;
  /** `timer` in Supported or Require (§7.1). */
  supportsTimer: boolean;
}

export interface UasTimerPolicy {
  minSe: number;
  /** Our choice when the UAC supports timers and named no refresher; `none`: no timer then. */
  defaultRefresher: Refresher | 'none';
}

export type UasDecision =
  | { kind: 'no-timer' }
  | { kind: 'reject-422'; minSe: number }
  | { kind: 'timer'; seconds: number; refresher: Refresher; requireTimer: boolean };

export function uasDecision(req: RefreshRequestView, policy: UasTimerPolicy): UasDecision {
  const se = req.sessionExpires;
  if (se === undefined) return { kind: 'no-timer' };
  if (req.supportsTimer && se.seconds < policy.minSe) return { kind: 'reject-422', minSe: policy.minSe };
  // `none`: only what the request named is honoured (drachtio-server's behaviour).
  if (se.refresher === undefined && policy.defaultRefresher === 'none') return { kind: 'no-timer' };
  const refresher = req.supportsTimer ? (se.refresher ?? policy.defaultRefresher) : 'uas';
  if (refresher === 'none') return { kind: 'no-timer' };
  // §9: never below the request's Min-SE (nor ours); never above what was asked, unless raised.
  const seconds = Math.max(se.seconds, policy.minSe, req.minSe ?? 0);
  return { kind: 'timer', seconds, refresher, requireTimer: req.supportsTimer };
}

/** Does a Supported / Require header value list the `timer` option tag? */
export function listsTimer(values: readonly string[]): boolean {
  return values.some((v) => v.split(',').some((t) => t.trim().toLowerCase() === 'timer'));
}

export function parseMinSe(value: string | undefined): number | undefined {
  const m = /^\s*(\d+)/.exec(value ?? '');
  return m?.[1] === undefined ? undefined : Number(m[1]);
}
