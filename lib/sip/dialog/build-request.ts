/**
 * The dialog part of a new request within a dialog (RFC 3261 §12.2.1.1): Request-URI and Route
 * (request-target.ts), From = local URI + local tag, To = remote URI + remote tag, Call-ID, CSeq
 * and, for target refresh requests, our Contact. The engine adds Via (its transaction branch),
 * body and any other headers, then serialises.
 *
 * CSeq: one more than the local sequence number (an empty one starts at `initialSeq`, §8.1.1.5),
 * which becomes the dialog's new local sequence number. ACK for a 2xx (§13.2.2.4) and CANCEL
 * (§9.1) reuse the number of the INVITE they refer to and leave the dialog unchanged.
 */
import { formatCSeq } from '../index';
import { DialogError } from './errors';
import { requestTarget } from './request-target';
import { TARGET_REFRESH_METHODS } from './transition';
import type { Dialog } from './types';

export interface OutgoingRequest {
  readonly method: string;
  readonly uri: string;
  /** [name, value] in the order they go on the wire; one Route field per route */
  readonly headers: readonly (readonly [string, string])[];
}

export interface BuildOptions {
  /** first CSeq number when the local sequence number is empty (§8.1.1.5: < 2**31); default 1 */
  readonly initialSeq?: number;
  /** CSeq number for ACK/CANCEL when it is not the last INVITE sent (dialog.inviteSeq) */
  readonly inviteSeq?: number;
  /** Max-Forwards value (§8.1.1.6), default 70 */
  readonly maxForwards?: number;
}

export interface BuiltRequest {
  readonly request: OutgoingRequest;
  /** the dialog with its new local sequence number (the same object for ACK and CANCEL) */
  readonly dialog: Dialog;
}

const MAX_CSEQ = 4_294_967_295;

function withTag(nameAddr: string, tag: string): string {
  return tag === '' ? nameAddr : `${nameAddr};tag=${tag}`;
}

function nextSeq(dialog: Dialog, method: string, opts: BuildOptions): number {
  if (method === 'ACK' || method === 'CANCEL') {
    const seq = opts.inviteSeq ?? dialog.inviteSeq;
    if (seq === undefined) throw new DialogError('DIALOG_NO_INVITE', `${method} without an INVITE sent`);
    return seq;
  }
  const seq = dialog.localSeq === undefined ? (opts.initialSeq ?? 1) : dialog.localSeq + 1;
  if (!Number.isInteger(seq) || seq < 0 || seq > MAX_CSEQ) {
    throw new DialogError('DIALOG_CSEQ_EXHAUSTED', `CSeq ${seq} is out of range (§8.1.1.5)`);
  }
  return seq;
}

function advance(dialog: Dialog, method: string, seq: number): Dialog {
  if (method === 'ACK' || method === 'CANCEL') return dialog;
  return { ...dialog, localSeq: seq, ...(method === 'INVITE' ? { inviteSeq: seq } : {}) };
}

export function buildInDialogRequest(dialog: Dialog, method: string, opts: BuildOptions = {}): BuiltRequest {
  if (dialog.state === 'terminated') {
    throw new DialogError('DIALOG_TERMINATED', `no ${method} in a terminated dialog`);
  }
  const target = requestTarget(dialog);
  const seq = nextSeq(dialog, method, opts);
  const headers: [string, string][] = target.routes.map((r) => ['Route', r]);
  headers.push(
    ['From', withTag(dialog.localUri, dialog.id.localTag)],
    ['To', withTag(dialog.remoteUri, dialog.id.remoteTag)],
    ['Call-ID', dialog.id.callId],
    ['CSeq', formatCSeq({ seq, method })],
    ['Max-Forwards', String(opts.maxForwards ?? 70)],
  );
  if (TARGET_REFRESH_METHODS.has(method) && dialog.localContact !== undefined) {
    headers.push(['Contact', `<${dialog.localContact}>`]);
  }
  return { request: { method, uri: target.uri, headers }, dialog: advance(dialog, method, seq) };
}
