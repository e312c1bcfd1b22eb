/**
 * The engine's record of a SIP dialog it holds on behalf of an app: the RFC 3261 §12 state
 * (lib/sip/dialog), the app connection that owns it (protocol doc §1.1: in-dialog traffic goes
 * only there), the flow the peer was last seen on (NAT), and what is pending in it.
 */
import type { Dialog } from '../../sip/dialog';
import type { Flow, SendTarget } from '../../sip/transport';
import type { KeptWire, ServerTransaction } from '../../sip/stack';
import type { ControlConnection } from '../control/control-connection';
import type { SessionTimerState } from '../session-timer/session-timer-state';
import type { Retransmitter } from './retransmitter';

/** UAS: a reliable provisional response awaiting its PRACK (RFC 3262 §3). */
export interface UnackedReliable {
  readonly rseq: number;
  readonly cseq: number;
  /** It carried a session description: a 2xx must wait for its PRACK (§3). */
  readonly withSdp: boolean;
  readonly retrans: Retransmitter;
  /** Its PRACK arrived and awaits the app's answer (a held 2xx goes out after that answer). */
  pracked?: boolean | undefined;
}

export interface EngineDialog {
  /** `<Call-ID>;from-tag=<From tag of the INVITE>` — what srf knows the dialog by (flat copy once added). */
  appDialogId: string;
  readonly owner: ControlConnection;
  dialog: Dialog;
  /** Where the peer was last seen (responses and requests it sent us). */
  flow: Flow;
  /** App txn id of the INVITE (or re-INVITE) whose 2xx awaits an ACK, for ACK delivery. */
  ackTxnId: string | undefined;
  /** UAS: our 2xx, retransmitted over UDP until the ACK arrives (§13.3.1.4). */
  pending2xx: Retransmitter | undefined;
  /** UAC: the ACK we sent for the last 2xx, re-sent when that 2xx is retransmitted. */
  lastAck: { cseq: number; wire: KeptWire; target: SendTarget; at?: number } | undefined;
  /** UAC: status of the last final response to our INVITE (ACK for non-2xx is refused). */
  lastInviteFinal: number | undefined;
  /** UAS: app txn id of the initial INVITE while it has no final response (early UPDATE, §6.2). */
  uasInviteTxnId?: string | undefined;
  /** An UPDATE received in the early dialog, awaiting the app's answer (RFC 3311 §5.2). */
  earlyUpdate?: ServerTransaction | undefined;
  /** UAS: last RSeq sent (RFC 3262 §7.1), and the reliable 1xx awaiting PRACK (or its answer). */
  lastRseq?: number | undefined;
  unacked?: UnackedReliable | undefined;
  /** UAC: highest RSeq received, to drop retransmitted reliable 1xx (RFC 3262 §4). */
  remoteRseq?: number | undefined;
  /** Last SDP this side sent (reused for session refreshes, §5.3). */
  localSdp?: Buffer | undefined;
  /** Sweeps of the safety net since the last traffic in the dialog (dialog-safety-net.ts). */
  idleSweeps?: number | undefined;
  /** RFC 4028 session timer, when one is running. */
  sessionTimer?: SessionTimerState | undefined;
  /** INVITE/UPDATEs without final response yet, either direction (session-timer/pending-offers.ts). */
  pendingOffers?: (() => boolean)[] | undefined;
}
