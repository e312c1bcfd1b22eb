/**
 * Dialog state (RFC 3261 §12): plain, JSON-serialisable data so that a dialog can be stored in the
 * StateStore and continued by another instance. Every value that goes on the wire is kept as the
 * header/URI text it will be written as.
 */

/** §12: a dialog is identified by Call-ID, local tag and remote tag. */
export interface DialogId {
  readonly callId: string;
  readonly localTag: string;
  /** '' when the peer sent no tag (RFC 2543 peer, §12.1.1/§12.1.2 "null") */
  readonly remoteTag: string;
}

/** Whether this side sent (uac) or answered (uas) the dialog-creating request. */
export type DialogRole = 'uac' | 'uas';

/** §12: early (1xx), confirmed (2xx); terminated is kept so a caller can see why a dialog ended. */
export type DialogState = 'early' | 'confirmed' | 'terminated';

/** Why a dialog reached the terminated state. */
export type TerminationReason =
  /** BYE sent or received (§15). */
  | 'bye'
  /** Non-2xx final response to the dialog-creating INVITE ended this early dialog (§12.3). */
  | 'rejected'
  /** 481 to an in-dialog request (§12.2.1.2). */
  | 'no-such-dialog'
  /** 408 or a transaction timeout for an in-dialog request (§12.2.1.2). */
  | 'timeout'
  /** Another fork of the same INVITE was confirmed (§13.2.2.4). */
  | 'other-fork-confirmed'
  /** The owner ended the dialog (expiry, shutdown, error). */
  | 'local';

export interface Dialog {
  readonly id: DialogId;
  readonly role: DialogRole;
  readonly state: DialogState;
  /** CSeq number of the last request this side sent in the dialog; undefined = empty (§12.1.1) */
  readonly localSeq: number | undefined;
  /** CSeq number of the last in-order request received; undefined = empty (§12.1.2) */
  readonly remoteSeq: number | undefined;
  /** CSeq number of the last INVITE this side sent, for ACK (§13.2.2.4) and CANCEL (§9.1) */
  readonly inviteSeq: number | undefined;
  /** our From/To value without the tag parameter, e.g. `"Alice" <sip:alice@example.com>` */
  readonly localUri: string;
  /** the peer's From/To value without the tag parameter */
  readonly remoteUri: string;
  /** the peer's Contact URI: Request-URI of (or last Route for) requests we send (§12.2.1.1) */
  readonly remoteTarget: string;
  /** Route header values in the order they go into our requests, each with all its parameters */
  readonly routeSet: readonly string[];
  /** the Contact URI this side advertised (used again in target refresh requests), if any */
  readonly localContact: string | undefined;
  /** §12.1.1/§12.1.2: sips Request-URI over TLS */
  readonly secure: boolean;
  /**
   * Set once state is 'terminated'. A field every dialog has (undefined until then), last: the
   * terminating spread then keeps the dialog's hidden class instead of making one per dialog.
   */
  readonly terminationReason: TerminationReason | undefined;
}
