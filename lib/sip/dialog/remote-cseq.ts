/**
 * Remote sequence number check for a request received within a dialog (RFC 3261 §12.2.2):
 * an empty remote sequence number takes the request's CSeq; a request numbered at or below it is
 * out of order and answered 500; a higher one is in order and becomes the remote sequence number.
 * (A retransmission never gets here: the server transaction absorbs it, §17.2.3.)
 *
 * ACK (which carries its INVITE's number, §13.2.2.4) and CANCEL (matched to its INVITE by the
 * transaction layer, §9.2) are neither checked nor counted; an ACK cannot be answered anyway.
 */
import type { SipRequest } from '../index';
import { type Result, err, ok } from '../../util/result';
import { DialogError } from './errors';
import type { Dialog } from './types';

export function checkRemoteCSeq(dialog: Dialog, request: SipRequest): Result<Dialog, DialogError> {
  return checkRemoteSeq(dialog, request.method, request.cseq().seq);
}

export function checkRemoteSeq(dialog: Dialog, method: string, seq: number): Result<Dialog, DialogError> {
  if (method === 'ACK' || method === 'CANCEL') return ok(dialog);
  if (dialog.remoteSeq !== undefined && seq <= dialog.remoteSeq) {
    return err(
      new DialogError(
        'DIALOG_CSEQ_OUT_OF_ORDER',
        `${method} CSeq ${seq} is not above the remote sequence number ${dialog.remoteSeq} (§12.2.2)`,
        { sipStatus: 500 },
      ),
    );
  }
  return ok({ ...dialog, remoteSeq: seq });
}
