/**
 * Requests from the network handed to apps (protocol doc §6.1, §6.4): new requests go round-robin
 * to an app that routed the method (503 when none did); requests inside a dialog go only to the
 * app that owns it (481 when there is no such dialog or its owner is gone, §12.2.2); the remote
 * CSeq must increase (500 otherwise, §12.2.2); a BYE ends the dialog on receipt.
 */
import { randomUUID } from 'node:crypto';
import { checkRemoteCSeq, incomingDialogId, requestReceived, transition } from '../../sip/dialog';
import type { ServerTransaction } from '../../sip/stack';
import { sipFrameTokens } from '../wire/frames';
import type { ControlConnection } from '../control/control-connection';
import type { EngineDeps } from './engine-deps';
import type { PendingServer } from './engine-state';

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

export function deliver(conn: ControlConnection, pending: PendingServer, receivedOn: boolean): void {
  const { request, flow } = pending.txn;
  const text = request.toBuffer().toString('utf8');
  conn.send(
    sipFrameTokens({
      source: 'network',
      text,
      flow,
      txnId: pending.appTxnId,
      dialogId: pending.appDialogId ?? '',
      ...(receivedOn ? { receivedOn: { address: flow.localAddress, port: flow.localPort } } : {}),
    }),
    text,
  );
}

function track(
  deps: EngineDeps,
  txn: ServerTransaction,
  owner: ControlConnection,
  appDialogId: string | undefined,
): PendingServer {
  const pending: PendingServer = { appTxnId: randomUUID(), txn, owner, appDialogId, cancelled: false };
  deps.state.servers.set(pending.appTxnId, pending);
  txn.tuData = pending.appTxnId;
  txn.on((e) => {
    if (e === 'terminated') deps.state.servers.delete(pending.appTxnId);
  });
  return pending;
}

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
  const app = deps.apps.pick(method);
  if (!app) {
    txn.respondWith(503);
    return;
  }
  deliver(app, track(deps, txn, app, undefined), true);
}

function inDialog(deps: EngineDeps, txn: ServerTransaction): void {
  const id = incomingDialogId(txn.request);
  const d = id ? deps.state.dialog(id) : undefined;
  if (!d || d.owner.isClosed) {
    txn.respondWith(481);
    return;
  }
  const checked = checkRemoteCSeq(d.dialog, txn.request);
  if (!checked.ok) {
    txn.respondWith(checked.error.sipStatus ?? 500);
    return;
  }
  d.dialog = transition(checked.value, requestReceived(txn.request)).dialog;
  d.flow = txn.flow;
  const pending = track(deps, txn, d.owner, d.appDialogId);
  if (txn.method === 'BYE') deps.state.removeDialog(d);
  deliver(d.owner, pending, false);
}
