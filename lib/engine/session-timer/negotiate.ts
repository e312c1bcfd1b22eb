/**
 * Session timer negotiation (RFC 4028 §7–§9, protocol doc §6.5). UAS (§9, uas-negotiation.ts): a
 * Session-Expires below our Min-SE from a UAC that supports timers is answered 422 (§6); an app
 * 2xx without Session-Expires to a request that had one gets `Session-Expires: n;refresher=…`
 * with the refresher §9 prescribes (the configured default when a supporting UAC named none);
 * an app's own Session-Expires governs. UAC: Session-Expires in a 2xx starts the timer. A 2xx to a
 * re-INVITE/UPDATE without one restarts the running timer (a refresh, §10).
 */
import type { SipMessage, SipRequest, SipResponse } from '../../sip';
import type { ServerTransaction } from '../../sip/stack';
import type { EngineDeps } from '../core/engine-deps';
import type { EngineDialog } from '../core/engine-dialog';
import { engineFinal } from '../core/engine-final';
import { allowsUpdate } from './refresh-method';
import { armSessionTimer, resetSessionTimer } from './session-timer';
import { formatSessionExpires, parseSessionExpires, weRefreshAfter } from './session-timer-state';
import { listsTimer, parseMinSe, uasDecision, type RefreshRequestView } from './uas-negotiation';

const REFRESHING = new Set(['INVITE', 'UPDATE']);

function viewOf(req: SipRequest): RefreshRequestView {
  return {
    sessionExpires: parseSessionExpires(req.header('session-expires')),
    minSe: parseMinSe(req.header('min-se')),
    supportsTimer: listsTimer([...req.headers('supported'), ...req.headers('require')]),
  };
}

/** §9: 422 with our Min-SE for a too small Session-Expires; true when answered. */
export function rejectTooSmallInterval(deps: EngineDeps, txn: ServerTransaction): boolean {
  if (!REFRESHING.has(txn.method)) return false;
  const decision = uasDecision(viewOf(txn.request), deps.state.sessionTimer);
  if (decision.kind !== 'reject-422') return false;
  engineFinal(deps, txn, 422, { headers: [['Min-SE', String(decision.minSe)]] });
  return true;
}

/** §9: before an app 2xx to INVITE/UPDATE goes out. */
export function addSessionExpires(deps: EngineDeps, req: SipRequest, response: SipResponse): void {
  if (!REFRESHING.has(req.method) || response.status < 200 || response.status >= 300) return;
  if (response.header('session-expires') !== undefined) return;
  const decision = uasDecision(viewOf(req), deps.state.sessionTimer);
  if (decision.kind !== 'timer') return;
  const { seconds, refresher } = decision;
  response.appendHeader('Session-Expires', formatSessionExpires({ seconds, refresher }));
  if (decision.requireTimer && !listsTimer(response.headers('require')))
    response.appendHeader('Require', 'timer');
}

/** Min-SE a request carried (the peer's, or the one our app declared), for our refreshes (§7.4). */
function minSeOf(req: SipMessage): number | undefined {
  return parseMinSe(req.header('min-se'));
}

/**
 * A 2xx to an INVITE/UPDATE was sent (`uas`) or received (`uac`) in dialog `d`; `request` is the
 * request it answers when the caller has it (its Min-SE counts for our refreshes, §7.4). The
 * peer's Allow (its 2xx when we are the UAC, its request when we are the UAS) is noted for
 * `refreshMethod: auto` (refresh-method.ts).
 */
export function sessionRefreshed(
  deps: EngineDeps,
  d: EngineDialog,
  response: SipResponse,
  ourRole: 'uac' | 'uas',
  request?: SipRequest,
): void {
  if (!REFRESHING.has(response.cseq().method) || response.status < 200 || response.status >= 300) return;
  const se = parseSessionExpires(response.header('session-expires'));
  if (se === undefined) resetSessionTimer(deps, d);
  else armSessionTimer(deps, d, se.seconds, weRefreshAfter(se, ourRole), request && minSeOf(request));
  const peer = ourRole === 'uac' ? response : request;
  const allow = peer ? allowsUpdate(peer.headers('allow')) : undefined;
  if (d.sessionTimer && allow !== undefined) d.sessionTimer.peerAllowsUpdate = allow;
}
