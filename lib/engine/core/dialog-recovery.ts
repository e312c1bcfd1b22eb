/**
 * Mid-call takeover (issue 8 §4): a request inside a dialog this engine does not hold may belong to
 * a call another instance set up and can no longer carry (it died). The recovery port — wired by the
 * composition root to the StateStore, which decides whether the call may be taken over — returns
 * the RFC 3261 §12 state of ALL of that call's dialogs; the engine adopts them (owned by an app that
 * routes INVITEs) and handles the request as if it had always held them. Meanwhile the server
 * transaction already exists, so retransmissions of the request are absorbed.
 */
import type { Dialog } from '../../sip/dialog';
import type { Flow } from '../../sip/transport';
import type { ServerTransaction } from '../../sip/stack';
import { toError } from '../../util/errors';
import type { ControlConnection } from '../control/control-connection';
import type { EngineDeps } from './engine-deps';
import type { EngineDialog } from './engine-dialog';
import { armSessionTimer } from '../session-timer/session-timer';
import type { DialogRecovery, RecoveredDialog } from './dialog-recovery-port';

export type { DialogRecovery, RecoveredDialog } from './dialog-recovery-port';

/** RFC 3261 §12.2.1.1 only asks for a higher CSeq: skip past what the old owner may have sent. */
export const CSEQ_TAKEOVER_STEP = 1000;

function ownerFor(deps: EngineDeps, method: string): ControlConnection | undefined {
  return deps.apps.pick(method.toLowerCase()) ?? deps.apps.pick('invite');
}

/** The stored dialog as ours: a higher local CSeq, an empty remote one (§12.2.2), no INVITE to ACK. */
function recoveredDialog(d: Dialog): Dialog {
  const dialog: Dialog = {
    id: d.id,
    role: d.role,
    state: d.state,
    localSeq: (d.localSeq ?? 0) + CSEQ_TAKEOVER_STEP,
    remoteSeq: undefined, // §12.2.2: an empty remote sequence takes the next request's CSeq
    inviteSeq: undefined,
    localUri: d.localUri,
    remoteUri: d.remoteUri,
    remoteTarget: d.remoteTarget,
    routeSet: d.routeSet,
    localContact: d.localContact,
    secure: d.secure,
    terminationReason: d.terminationReason,
  };
  return dialog;
}

function adopt(
  deps: EngineDeps,
  r: RecoveredDialog,
  owner: ControlConnection,
  arrival: Flow,
): EngineDialog | undefined {
  if (deps.state.dialogByAppId(r.appDialogId)) return undefined;
  const peer = r.peer;
  const sameTransport = peer === undefined || peer.transport === arrival.transport;
  // Literals of fixed shape (the dialog lives as long as the call; a record read back from JSON
  // lacks its undefined fields, and `{ ...r.dialog, remoteSeq }` would then be a hidden class each).
  const flow: Flow = {
    transport: peer?.transport ?? arrival.transport,
    localAddress: arrival.localAddress,
    localPort: arrival.localPort,
    remoteAddress: peer?.address ?? arrival.remoteAddress,
    remotePort: peer?.port ?? arrival.remotePort,
    // The old owner's connections died with it; UDP leaves from the socket the request came to.
    connectionId: undefined,
    listenerId: sameTransport ? arrival.listenerId : '',
  };
  const d: EngineDialog = {
    appDialogId: r.appDialogId,
    owner,
    dialog: recoveredDialog(r.dialog),
    flow,
    ackTxnId: undefined,
    pending2xx: undefined,
    lastAck: undefined,
    lastInviteFinal: undefined,
  };
  deps.state.addDialog(d);
  const st = r.sessionTimer;
  // The dead owner's last refresh time is unknown: refresh within seconds when it is ours to do;
  // when the peer refreshes, give it a whole interval from now (RFC 4028 §10).
  if (st)
    armSessionTimer(
      deps,
      d,
      st.interval,
      st.weRefresh,
      undefined,
      st.weRefresh ? takeoverRefreshDelay() : undefined,
    );
  // What the old owner knew of the peer's Allow: UPDATE refreshes go on (refresh-method.ts).
  if (st && d.sessionTimer) d.sessionTimer.peerAllowsUpdate = st.peerAllowsUpdate;
  return d;
}

/** 2–5 s, spread so that many taken-over calls do not refresh in one burst. */
export const takeoverRefreshDelay = (): number => 2 + Math.random() * 3;

/**
 * Ask the port for the call behind `txn`'s unknown dialog; `then(found)` continues the request's
 * handling once the dialogs are adopted (found) or there was nothing to adopt.
 */
/** The engine has a recovery port (takeover wired). */
export function withRecovery(deps: EngineDeps): deps is EngineDeps & { recovery: DialogRecovery } {
  return deps.recovery !== undefined;
}

export function recoverDialogs(
  deps: EngineDeps & { recovery: DialogRecovery },
  txn: ServerTransaction,
  callId: string,
  localTag: string,
  then: (found: boolean) => void,
): void {
  deps.recovery.recover(callId, localTag).then(
    (dialogs) => {
      const owner = ownerFor(deps, txn.method);
      if (dialogs.length === 0 || !owner) {
        then(false);
        return;
      }
      const adopted = dialogs.map((r) => adopt(deps, r, owner, txn.flow)).filter((d) => d !== undefined);
      deps.log.info(
        { callId, dialogs: adopted.map((d) => d.appDialogId), method: txn.method },
        'dialogs taken over',
      );
      then(true);
    },
    (e: unknown) => {
      deps.log.warn({ callId, err: toError(e).message }, 'dialog recovery failed');
      then(false);
    },
  );
}
