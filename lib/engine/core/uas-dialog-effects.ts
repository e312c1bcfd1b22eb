/**
 * What an app response sent in a UAS transaction does to the engine's dialog beyond RFC 3261
 * state: a reliable 1xx starts its retransmissions (RFC 3262 §3) and the final response to the
 * INVITE ends them (a late PRACK still matches); SDP sent is remembered for session refreshes (protocol doc §5.3); a 2xx to
 * INVITE/UPDATE (re)starts the session timer (RFC 4028 §9); the SDP is kept only while a session
 * timer runs (a refresh re-INVITE is all that re-sends it; ~0.4 KB per established call).
 */
import { ownBytes } from './compact';
import { incomingDialogId } from '../../sip/dialog';
import type { SipRequest, SipResponse } from '../../sip';
import { sessionRefreshed } from '../session-timer/negotiate';
import type { EngineDeps } from './engine-deps';
import type { EngineDialog } from './engine-dialog';
import type { PendingServer } from './engine-state';
import { quietReliable, retransmitReliable } from './reliable-provisional';

/** The dialog an in-dialog request belongs to. */
export function dialogOf(deps: EngineDeps, req: SipRequest): EngineDialog | undefined {
  const id = incomingDialogId(req);
  return id ? deps.state.dialog(id) : undefined;
}

export function afterSent(
  deps: EngineDeps,
  pending: PendingServer,
  response: SipResponse,
  reliable: boolean,
): void {
  const req = pending.txn.request;
  if (req.method !== 'INVITE' && req.method !== 'UPDATE') return;
  const d = deps.state.dialog({
    callId: req.callId(),
    localTag: response.to().tag ?? '',
    remoteTag: req.from().tag ?? '',
  });
  if (!d) return;
  const { status } = response;
  if (reliable) retransmitReliable(deps, d, pending.txn, response);
  if (status >= 200 && req.method === 'INVITE' && req.to().tag === undefined) {
    quietReliable(d);
    d.uasInviteTxnId = undefined;
  }
  const carriesSdp = response.body.length > 0 && status < 300 && (status >= 200 || reliable);
  const refreshed = status >= 200 && status < 300 && d.dialog.state === 'confirmed';
  if (refreshed) sessionRefreshed(deps, d, response, 'uas', req);
  if (refreshed && !d.sessionTimer)
    d.localSdp = undefined; // only a session refresh re-sends it
  else if (carriesSdp) d.localSdp = ownBytes(response.body);
}
