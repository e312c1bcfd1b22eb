/**
 * A network request handed to an app as a `sip` frame (protocol doc §4.2): the app txn id it will
 * answer with, the dialog id for in-dialog requests, and the local address for new ones.
 */
import { randomUuid } from '../../util/random-token';
import type { ServerTransaction } from '../../sip/stack';
import type { ControlConnection } from '../control/control-connection';
import { sipFrameTokens } from '../wire/frames';
import type { EngineDeps } from './engine-deps';
import type { PendingServer } from './engine-state';

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

/** Registers the transaction under an app txn id (a new one unless given) until it ends. */
export function track(
  deps: EngineDeps,
  txn: ServerTransaction,
  owner: ControlConnection,
  appDialogId: string | undefined,
  appTxnId: string = randomUuid(),
): PendingServer {
  const pending: PendingServer = { appTxnId, txn, owner, appDialogId, cancelled: false };
  deps.state.servers.set(pending.appTxnId, pending);
  txn.tuData = pending.appTxnId;
  txn.on((e) => {
    if (e === 'terminated' && deps.state.servers.get(pending.appTxnId) === pending)
      deps.state.servers.delete(pending.appTxnId);
  });
  return pending;
}
