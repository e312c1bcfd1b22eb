/**
 * Typed errors of the dialog layer (RFC 3261 §12). Each has a stable code and, where the failure
 * answers an incoming request, the SIP status to answer with.
 */
import { PalisadeError } from '../../util/errors';

export type DialogErrorCode =
  /** The response cannot create a dialog (100, a final non-2xx, not a response to that request). */
  | 'DIALOG_NOT_CREATING'
  /** A tag that must be present is missing (To tag of a 1xx, our own From tag). */
  | 'DIALOG_MISSING_TAG'
  /** The message has no usable Contact to become the remote target (§12.1.1, §12.1.2). */
  | 'DIALOG_MISSING_CONTACT'
  /** An in-dialog request's CSeq is not above the remote sequence number: answer 500 (§12.2.2). */
  | 'DIALOG_CSEQ_OUT_OF_ORDER'
  /** The local CSeq would pass 2**32-1 (§8.1.1.5). */
  | 'DIALOG_CSEQ_EXHAUSTED'
  /** An ACK or CANCEL was asked for but no INVITE was sent in this dialog. */
  | 'DIALOG_NO_INVITE'
  /** A request was asked for in a terminated dialog. */
  | 'DIALOG_TERMINATED'
  /** A route set entry or remote target that is not a valid URI/name-addr. */
  | 'DIALOG_BAD_ROUTE'
  /** The dialog table is at its cap: shed load with 503 (§21.5.4). */
  | 'DIALOG_TABLE_FULL'
  /** A dialog with the same identifier is already in the table. */
  | 'DIALOG_DUPLICATE'
  /** A dialog that is not in the table was asked to be replaced. */
  | 'DIALOG_UNKNOWN'
  /** A table capacity that is not a positive integer. */
  | 'DIALOG_BAD_CAPACITY';

export class DialogError extends PalisadeError {
  declare readonly code: DialogErrorCode;

  constructor(code: DialogErrorCode, message: string, options: { sipStatus?: number; cause?: unknown } = {}) {
    super(code, message, options);
  }
}
