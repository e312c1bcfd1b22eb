/**
 * The engine's record of a SIP dialog it holds on behalf of an app: the RFC 3261 §12 state
 * (lib/sip/dialog), the app connection that owns it (protocol doc §1.1: in-dialog traffic goes
 * only there), the flow the peer was last seen on (NAT), and what is pending in it.
 */
import type { Dialog } from '../../sip/dialog';
import type { Flow, SendTarget } from '../../sip/transport';
import type { SipRequest } from '../../sip';
import type { ControlConnection } from '../control/control-connection';
import type { Retransmitter } from './retransmitter';

export interface EngineDialog {
  /** `<Call-ID>;from-tag=<From tag of the INVITE>` — what srf knows the dialog by. */
  readonly appDialogId: string;
  readonly owner: ControlConnection;
  dialog: Dialog;
  /** Where the peer was last seen (responses and requests it sent us). */
  flow: Flow;
  /** App txn id of the INVITE (or re-INVITE) whose 2xx awaits an ACK, for ACK delivery. */
  ackTxnId: string | undefined;
  /** UAS: our 2xx, retransmitted over UDP until the ACK arrives (§13.3.1.4). */
  pending2xx: Retransmitter | undefined;
  /** UAC: the ACK we sent for the last 2xx, re-sent when that 2xx is retransmitted. */
  lastAck: { cseq: number; bytes: Buffer; target: SendTarget } | undefined;
  /** UAC: status of the last final response to our INVITE (ACK for non-2xx is refused). */
  lastInviteFinal: number | undefined;
  /** UAC: the INVITE that created the dialog (for PRACK in the early dialog). */
  readonly invite: SipRequest | undefined;
}
