/**
 * The engine's port for mid-call takeover (dialog-recovery.ts): what the composition root gives
 * it — the RFC 3261 §12 state of a call's dialogs another instance held.
 */
import type { Dialog } from '../../sip/dialog';
import type { TransportKind } from '../../sip/transport';

/** One dialog to adopt: its state and where its peer was last seen. */
export interface RecoveredDialog {
  /** `<Call-ID>;from-tag=<From tag of the INVITE>`, as the app knows the dialog. */
  readonly appDialogId: string;
  readonly dialog: Dialog;
  readonly peer:
    { readonly transport: TransportKind; readonly address: string; readonly port: number } | undefined;
  /**
   * The RFC 4028 session timer negotiated on the dialog, when one ran: interval, who refreshes and
   * whether the peer's Allow listed UPDATE (undefined: not known), for `refreshMethod: auto`.
   */
  readonly sessionTimer?:
    | {
        readonly interval: number;
        readonly weRefresh: boolean;
        readonly peerAllowsUpdate?: boolean | undefined;
      }
    | undefined;
}

export interface DialogRecovery {
  /**
   * The dialogs of the call one of whose dialogs is (callId, localTag), once this instance may
   * carry it on; empty when there is no such call or it is not ours to take.
   */
  recover(callId: string, localTag: string): Promise<readonly RecoveredDialog[]>;
}
