/**
 * Forked early dialogs (RFC 3261 §12.1.2, §13.2.2.4): one UAC INVITE can create several early
 * dialogs, one per To tag, all sharing Call-ID and From tag (a dialog set). When a 2xx confirms
 * one of them, the others have lost: they are terminated (reason `other-fork-confirmed`). A 2xx
 * arriving later on a losing fork creates a new confirmed dialog (§13.2.2.4), which the UAC
 * acknowledges and may end with BYE.
 */
import { sameDialogId } from './dialog-id';
import type { DialogStep } from './events';
import { terminate } from './transition';
import type { Dialog, DialogId } from './types';

/** Whether `a` and `b` are dialogs of the same UAC request (same Call-ID and local tag). */
export function sameDialogSet(a: DialogId, b: DialogId): boolean {
  return a.callId === b.callId && a.localTag === b.localTag;
}

/**
 * Steps terminating every early dialog in `dialogs` that shares the dialog set of `confirmed`
 * but is not it. Dialogs of other sets, confirmed ones and the winner are left out.
 */
export function settleForks(dialogs: Iterable<Dialog>, confirmed: DialogId): DialogStep[] {
  const steps: DialogStep[] = [];
  for (const d of dialogs) {
    if (d.role !== 'uac' || d.state !== 'early') continue;
    if (!sameDialogSet(d.id, confirmed) || sameDialogId(d.id, confirmed)) continue;
    steps.push(terminate(d, 'other-fork-confirmed'));
  }
  return steps;
}
