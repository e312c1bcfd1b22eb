/**
 * UPDATE inside an early dialog (RFC 3311 §5, protocol doc §6.2, §6.3). drachtio delivers it with
 * the txn id of the dialog's INVITE: srf finds the pending INVITE by Call-ID and emits `update`
 * on it, and its answer carries that txn id with `CSeq: n UPDATE`. UAS side: the app's answer
 * comes in on the INVITE's server transaction and is redirected to the UPDATE's (earlyUpdateOf).
 * UAC side: the UPDATE is registered under the app's INVITE client txn id. Only one UPDATE may be
 * pending: a second one gets 500 with Retry-After (RFC 3311 §5.2).
 */
import { randomInt } from 'node:crypto';
import type { ServerTransaction } from '../../sip/stack';
import { deliver, track } from './deliver-request';
import type { EngineDeps } from './engine-deps';
import type { EngineDialog } from './engine-dialog';
import type { PendingServer } from './engine-state';

export function onEarlyUpdate(deps: EngineDeps, d: EngineDialog, txn: ServerTransaction): void {
  if (d.earlyUpdate?.finalResponseStatus === undefined && d.earlyUpdate !== undefined) {
    txn.respondWith(500, [['Retry-After', String(randomInt(0, 11))]]);
    return;
  }
  const inviteTxnId = d.dialog.role === 'uas' ? d.uasInviteTxnId : uacInviteTxnId(deps, d);
  if (inviteTxnId === undefined) {
    deliver(d.owner, track(deps, txn, d.owner, d.appDialogId), false);
    return;
  }
  d.earlyUpdate = txn;
  txn.on((e) => {
    if (e === 'terminated' && d.earlyUpdate === txn) d.earlyUpdate = undefined;
  });
  const pending =
    d.dialog.role === 'uas'
      ? { appTxnId: inviteTxnId, txn, owner: d.owner, appDialogId: d.appDialogId, cancelled: false }
      : track(deps, txn, d.owner, d.appDialogId, inviteTxnId);
  deliver(d.owner, pending, false);
}

function uacInviteTxnId(deps: EngineDeps, d: EngineDialog): string | undefined {
  for (const c of deps.state.clients.values())
    if (c.appDialogId === d.appDialogId && c.request.method === 'INVITE' && c.owner === d.owner)
      return c.appTxnId;
  return undefined;
}

/** The app answered `CSeq: n UPDATE` on an INVITE's txn id: the early UPDATE it means, if any. */
export function earlyUpdateOf(
  deps: EngineDeps,
  invite: PendingServer,
  cseq: string | undefined,
): PendingServer | 'not-update' | undefined {
  if (invite.txn.method !== 'INVITE' || !/^\s*\d+\s+UPDATE\s*$/i.test(cseq ?? '')) return 'not-update';
  const d = invite.appDialogId === undefined ? undefined : deps.state.dialogByAppId(invite.appDialogId);
  const txn = d?.earlyUpdate;
  if (!d || !txn || txn.finalResponseStatus !== undefined) return undefined;
  return { appTxnId: invite.appTxnId, txn, owner: d.owner, appDialogId: d.appDialogId, cancelled: false };
}
