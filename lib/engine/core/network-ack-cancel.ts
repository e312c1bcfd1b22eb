/**
 * ACK for a 2xx and CANCEL from the network (protocol doc §6.2): the ACK stops our 2xx
 * retransmissions and goes to the dialog's owner with the INVITE's txn id; a CANCEL of an INVITE
 * the app has not answered finally gets 200, the INVITE 487, and the app a CANCEL frame (§9.2).
 */
import { randomUuid } from '../../util/random-token';
import { incomingDialogId } from '../../sip/dialog';
import type { SipRequest } from '../../sip';
import type { ServerTransaction } from '../../sip/stack';
import type { Flow } from '../../sip/transport';
import { sipFrameTokens } from '../wire/frames';
import type { EngineDeps } from './engine-deps';

export function onNetworkAck(deps: EngineDeps, ack: SipRequest, flow: Flow): void {
  const id = incomingDialogId(ack);
  const d = id ? deps.state.dialog(id) : undefined;
  if (!d) {
    deps.log.debug({ callId: ack.callId() }, 'ACK for no dialog dropped');
    return;
  }
  d.pending2xx?.stop();
  d.pending2xx = undefined;
  d.flow = flow;
  const txnId = d.ackTxnId ?? randomUuid();
  d.ackTxnId = undefined;
  if (d.owner.isClosed) return;
  const text = ack.toBuffer().toString('utf8');
  d.owner.send(sipFrameTokens({ source: 'network', text, flow, txnId, dialogId: d.appDialogId }), text);
}

export function onNetworkCancel(
  deps: EngineDeps,
  cancel: ServerTransaction,
  invite: ServerTransaction,
): void {
  cancel.respondWith(200);
  if (invite.finalResponseStatus !== undefined) return; // too late: the CANCEL has no effect (§9.2)
  invite.respondWith(487);
  deps.cdr?.stop('network', 'call-canceled', cancel.request);
  const pending = typeof invite.tuData === 'string' ? deps.state.servers.get(invite.tuData) : undefined;
  if (!pending) return;
  pending.cancelled = true;
  pending.heldFinal?.drop(); // its 2xx never went out: the call is cancelled (RFC 3262 §3 hold)
  const tag = invite.localTag;
  const early =
    tag === undefined
      ? undefined
      : deps.state.dialog({
          callId: invite.request.callId(),
          localTag: tag,
          remoteTag: invite.request.from().tag ?? '',
        });
  if (early) deps.state.removeDialog(early);
  if (pending.owner.isClosed) return;
  const text = cancel.request.toBuffer().toString('utf8');
  pending.owner.send(
    sipFrameTokens({
      source: 'network',
      text,
      flow: cancel.flow,
      txnId: pending.appTxnId,
      dialogId: pending.appDialogId ?? '',
    }),
    text,
  );
}
