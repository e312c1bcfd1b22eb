/**
 * UAC dialogs of app INVITEs (RFC 3261 §12.1.2, §13.2.2.4; protocol doc §6.3): a 1xx with a To
 * tag creates an early dialog (PRACK, early UPDATE), a 2xx confirms or creates one; a 2xx
 * retransmission for a dialog we already ACKed is answered with the same ACK and not passed up
 * again; a failure ends the early dialogs of the INVITE. The first 2xx settles the forks, a later
 * 2xx from another fork is ACKed and BYEd by the engine (uac-forks.ts). A reliable 1xx seen before is dropped
 * (RFC 3262 §4); Session-Expires in the 2xx starts the session timer (RFC 4028 §7.2).
 */
import {
  dialogFromUacResponse,
  dialogKey,
  incomingDialogId,
  responseReceived,
  transition,
} from '../../sip/dialog';
import type { SipResponse } from '../../sip';
import type { Flow } from '../../sip/transport';
import type { EngineDeps } from './engine-deps';
import type { EngineDialog } from './engine-dialog';
import type { PendingClient } from './engine-state';
import { sessionRefreshed } from '../session-timer/negotiate';
import { isStaleReliable } from './reliable-provisional';
import { compactDialog, ownBytes } from './compact';
import { endEarlyForks, endLateFork, isLateFork2xx, settleOtherForks } from './uac-forks';

/**
 * Our SDP, kept in an early dialog and, once confirmed, only while a session timer runs: a
 * refresh re-INVITE is all that re-sends it (refresh-request.ts); ~0.4 KB per established call.
 */
function sdpOf(pending: PendingClient): Buffer | undefined {
  return pending.request.body.length > 0 ? ownBytes(pending.request.body) : undefined;
}

/** Returns false when the response must not go up to the app. */
export function onUacInviteResponse(
  deps: EngineDeps,
  pending: PendingClient,
  res: SipResponse,
  flow: Flow,
): boolean {
  const id = incomingDialogId(res);
  const status = res.status;
  if (status >= 300) {
    const early = deps.state.dialogByAppId(pending.appDialogId ?? '');
    if (early && early.dialog.state === 'early') deps.state.removeDialog(early);
    endEarlyForks(deps, pending);
    return true;
  }
  if (!id || id.remoteTag === '' || status === 100) return true;
  const key = dialogKey(id);
  if (status >= 200 && isLateFork2xx(pending, key)) {
    endLateFork(deps, pending, res, flow, key);
    return false;
  }
  const existing = deps.state.dialog(id);
  if (existing) {
    existing.flow = flow;
    if (status >= 200 && existing.dialog.state === 'confirmed' && existing.lastAck?.cseq === res.cseq().seq) {
      return false;
    }
    if (isStaleReliable(existing, res)) return false;
    existing.dialog = transition(existing.dialog, responseReceived(res)).dialog;
    if (status >= 200) existing.dialog = compactDialog(existing.dialog); // kept for the call's lifetime
    if (status >= 200) existing.lastInviteFinal = status;
    if (status >= 200) sessionRefreshed(deps, existing, res, 'uac', pending.request);
    if (status >= 200 && !existing.sessionTimer) existing.localSdp = undefined; // see sdpOf
    if (status >= 200) settleOtherForks(deps, pending, existing);
    return true;
  }
  const d: EngineDialog = {
    appDialogId: pending.appDialogId ?? '',
    owner: pending.owner,
    dialog: dialogFromUacResponse(pending.request, res, { overTls: flow.transport === 'tls' }),
    flow,
    ackTxnId: undefined,
    pending2xx: undefined,
    lastAck: undefined,
    lastInviteFinal: status >= 200 ? status : undefined,
    localSdp: status < 200 ? sdpOf(pending) : undefined,
    idleSweeps: 0,
  };
  isStaleReliable(d, res);
  deps.state.addDialog(d);
  (pending.forks ??= []).push(d);
  if (status >= 200) sessionRefreshed(deps, d, res, 'uac', pending.request);
  if (status >= 200 && d.sessionTimer) d.localSdp = sdpOf(pending);
  if (status >= 200) settleOtherForks(deps, pending, d);
  return true;
}
