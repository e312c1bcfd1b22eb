/**
 * Requests from the network handed to apps (protocol doc §6.1, §6.4): new requests go round-robin
 * to an app that routed the method (503 when none did); requests inside a dialog go only to the
 * app that owns it (481 when there is no such dialog or its owner is gone, §12.2.2); the remote
 * CSeq must increase (500 otherwise, §12.2.2); a BYE ends the dialog on receipt. A PRACK must
 * match an unacknowledged reliable 1xx (RFC 3262 §3), an UPDATE in an early dialog goes up with
 * the INVITE's txn id (early-update.ts), a too small Session-Expires gets 422 (RFC 4028 §5), an
 * INVITE (or UPDATE with an offer) while our session refresh re-INVITE is out gets 491.
 */
import { checkRemoteCSeq, incomingDialogId, requestReceived, transition } from '../../sip/dialog';
import type { ServerTransaction } from '../../sip/stack';
import { rejectTooSmallInterval } from '../session-timer/negotiate';
import { collidesWithRefresh, peerOfferReceived } from '../session-timer/pending-offers';
import { withSelectedApp } from './app-selector';
import { deliver, track } from './deliver-request';
import { onEarlyUpdate } from './early-update';
import type { EngineDeps } from './engine-deps';
import { prackMatches } from './reliable-provisional';
import { recoverDialogs, withRecovery } from './dialog-recovery';

/** Methods an app may receive outside a dialog (§6.1 item 5). */
const OUT_OF_DIALOG = new Set([
  'INVITE',
  'REGISTER',
  'MESSAGE',
  'OPTIONS',
  'INFO',
  'NOTIFY',
  'SUBSCRIBE',
  'PUBLISH',
]);
const KNOWN = new Set([...OUT_OF_DIALOG, 'ACK', 'BYE', 'CANCEL', 'PRACK', 'UPDATE', 'REFER']);

export function onNetworkRequest(deps: EngineDeps, txn: ServerTransaction): void {
  const id = incomingDialogId(txn.request);
  if (id) {
    inDialog(deps, txn);
    return;
  }
  const method = txn.method;
  if (!OUT_OF_DIALOG.has(method)) {
    txn.respondWith(KNOWN.has(method) ? 481 : 501);
    return;
  }
  if (method === 'INVITE') deps.cdr?.attempt('network', txn.request);
  if (rejectTooSmallInterval(deps, txn)) return;
  withSelectedApp(deps, txn, (app) => {
    deliver(app, track(deps, txn, app, undefined), true);
  });
}

function inDialog(deps: EngineDeps, txn: ServerTransaction, recovered = false): void {
  const id = incomingDialogId(txn.request);
  const d = id ? deps.state.dialog(id) : undefined;
  if (!d && id && withRecovery(deps) && !recovered) {
    // Mid-call takeover (dialog-recovery.ts): the call may be another instance's, now ours.
    recoverDialogs(deps, txn, id.callId, id.localTag, (found) => {
      if (found) inDialog(deps, txn, true);
      else txn.respondWith(481);
    });
    return;
  }
  if (!d || d.owner.isClosed) {
    // The owner is gone and nothing is re-homed (protocol doc §1.1): the dialog is dead.
    if (d) deps.state.removeDialog(d);
    txn.respondWith(481);
    return;
  }
  const checked = checkRemoteCSeq(d.dialog, txn.request);
  if (!checked.ok) {
    txn.respondWith(checked.error.sipStatus ?? 500);
    return;
  }
  if (rejectTooSmallInterval(deps, txn)) return;
  if (collidesWithRefresh(d, txn.request)) {
    txn.respondWith(491); // our session refresh re-INVITE is out (RFC 3261 §14.2, RFC 3311 §5.2)
    return;
  }
  if (txn.method === 'PRACK' && !prackMatches(d, txn.request)) {
    txn.respondWith(481); // RFC 3262 §3: no unacknowledged reliable 1xx with that RAck
    return;
  }
  d.dialog = transition(checked.value, requestReceived(txn.request)).dialog;
  d.flow = txn.flow;
  if (txn.method === 'UPDATE' && d.dialog.state === 'early') {
    onEarlyUpdate(deps, d, txn);
    return;
  }
  const pending = track(deps, txn, d.owner, d.appDialogId);
  peerOfferReceived(d, txn); // a session refresh of ours waits for it (RFC 3261 §14.1)
  if (txn.method === 'BYE') deps.cdr?.stop('network', 'normal-release', txn.request);
  if (txn.method === 'BYE') deps.state.removeDialog(d);
  deliver(d.owner, pending, false);
}
