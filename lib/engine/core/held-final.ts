/**
 * RFC 3262 §3: the UAS "MUST NOT send a final response until those provisional responses are
 * acknowledged" when the final response is a 2xx and an unacknowledged reliable 1xx carried a
 * session description. An app 2xx to the INVITE arriving then — or while that PRACK, received,
 * awaits the app's answer — is held (drachtio-srf's createB2BUA sends it after waiting at most
 * 500 ms for the caller's PRACK, so a slow PRACK was overtaken) and sent — and only then echoed
 * to the app — once the app has answered the PRACK: the caller sees the PRACK's 200 before the
 * INVITE's, and the app handles the PRACK before its dialog exists (an srf dialog answers PRACK
 * with 501). Safety net: released 64·T1 after it was held if the PRACK came but was never
 * answered. No PRACK at all: the reliable 1xx gives up, the INVITE gets 504, the app a NOK.
 */
import type { SipResponse } from '../../sip';
import type { TimerHandle } from '../../util/clock';
import type { EngineDeps } from './engine-deps';
import type { EngineDialog } from './engine-dialog';
import type { PendingServer } from './engine-state';

export const NOT_SENT = 'Response not sent due to unknown transaction';

/** Holds `response` when §3 forbids sending it now; false: send it. */
export function holdFinal(
  deps: EngineDeps,
  pending: PendingServer,
  response: SipResponse,
  send: () => void,
  refuse: () => void,
): boolean {
  if (response.status < 200 || response.status >= 300) return false;
  const req = pending.txn.request;
  if (req.method !== 'INVITE' || req.to().tag !== undefined) return false;
  const d = deps.state.dialog({
    callId: req.callId(),
    localTag: response.to().tag ?? '',
    remoteTag: req.from().tag ?? '',
  });
  if (!d?.unacked?.withSdp) return false;
  // Safety net for a PRACK the app never answers; while the 1xx still awaits its PRACK, its own
  // give-up (64·T1 after it was sent, so not later than this) decides instead.
  const arm = (): TimerHandle =>
    deps.clock.setTimer(64 * deps.t1, () => {
      if (d.unacked !== undefined && d.unacked.pracked !== true) timer = arm();
      else pending.heldFinal?.release();
    });
  let timer = arm();
  const settle = (go: boolean): void => {
    timer.cancel();
    pending.heldFinal = undefined;
    // A CANCEL (487) or a vanished app (480) may have ended the INVITE meanwhile.
    if (go && !pending.cancelled && pending.txn.finalResponseStatus === undefined) send();
    else refuse();
  };
  pending.heldFinal = {
    release: () => {
      settle(true);
    },
    drop: () => {
      settle(false);
    },
  };
  deps.log.debug({ dialog: d.appDialogId, rseq: d.unacked.rseq }, '2xx held until the PRACK');
  return true;
}

/** The app answered the PRACK in `d`: the reliable 1xx is acknowledged, a 2xx held for it goes out. */
export function prackAnswered(deps: EngineDeps, d: EngineDialog | undefined): void {
  if (!d) return;
  if (d.unacked?.pracked === true) d.unacked = undefined;
  const txnId = d.uasInviteTxnId;
  if (txnId !== undefined) deps.state.servers.get(txnId)?.heldFinal?.release();
}
