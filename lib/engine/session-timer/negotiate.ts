/**
 * Session timer negotiation (RFC 4028 §7–§9, protocol doc §6.5). UAS: a Session-Expires below our
 * Min-SE is answered 422 (§5); an app 2xx without Session-Expires to a request that had one gets
 * `Session-Expires: max(Min-SE, n);refresher=…` when the offer named a refresher (or a default is
 * configured); an app's own Session-Expires governs. UAC: Session-Expires in a 2xx starts the
 * timer. A 2xx to a re-INVITE/UPDATE without one restarts the running timer (a refresh, §10).
 */
import type { SipRequest, SipResponse } from '../../sip';
import type { ServerTransaction } from '../../sip/stack';
import type { EngineDeps } from '../core/engine-deps';
import type { EngineDialog } from '../core/engine-dialog';
import { engineFinal } from '../core/engine-final';
import { armSessionTimer, resetSessionTimer } from './session-timer';
import { formatSessionExpires, parseSessionExpires, weRefreshAfter } from './session-timer-state';

const REFRESHING = new Set(['INVITE', 'UPDATE']);

/** §5: 422 with our Min-SE for a too small Session-Expires; true when answered. */
export function rejectTooSmallInterval(deps: EngineDeps, txn: ServerTransaction): boolean {
  if (!REFRESHING.has(txn.method)) return false;
  const se = parseSessionExpires(txn.request.header('session-expires'));
  const minSe = deps.state.sessionTimer.minSe;
  if (se === undefined || se.seconds >= minSe) return false;
  engineFinal(deps, txn, 422, { headers: [['Min-SE', String(minSe)]] });
  return true;
}

/** §9: before an app 2xx to INVITE/UPDATE goes out. */
export function addSessionExpires(deps: EngineDeps, req: SipRequest, response: SipResponse): void {
  if (!REFRESHING.has(req.method) || response.status < 200 || response.status >= 300) return;
  if (response.header('session-expires') !== undefined) return;
  const offered = parseSessionExpires(req.header('session-expires'));
  if (offered === undefined) return;
  const cfg = deps.state.sessionTimer;
  const refresher = offered.refresher ?? (cfg.defaultRefresher === 'none' ? undefined : cfg.defaultRefresher);
  if (refresher === undefined) return;
  const seconds = Math.max(cfg.minSe, offered.seconds);
  response.appendHeader('Session-Expires', formatSessionExpires({ seconds, refresher }));
  const supported = req.headers('supported').some((v) => v.trim().toLowerCase() === 'timer');
  if (supported && !response.hasHeader('require')) response.appendHeader('Require', 'timer');
}

/** A 2xx to an INVITE/UPDATE was sent (`uas`) or received (`uac`) in dialog `d`. */
export function sessionRefreshed(
  deps: EngineDeps,
  d: EngineDialog,
  response: SipResponse,
  ourRole: 'uac' | 'uas',
): void {
  if (!REFRESHING.has(response.cseq().method) || response.status < 200 || response.status >= 300) return;
  const se = parseSessionExpires(response.header('session-expires'));
  if (se === undefined) {
    resetSessionTimer(deps, d);
    return;
  }
  armSessionTimer(deps, d, se.seconds, weRefreshAfter(se, ourRole));
}
