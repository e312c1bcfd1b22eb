/**
 * Dialogs of one engine instance, keyed by (Call-ID, local tag, remote tag) (RFC 3261 §12).
 * Incoming requests are matched with To tag = local tag, From tag = remote tag (§12.2.2);
 * incoming responses with From tag = local tag, To tag = remote tag (§12.2.1.2). UAC dialogs are
 * also indexed by dialog set (Call-ID, local tag), so all forks of one INVITE are found together
 * (forks.ts). The table holds at most `capacity` dialogs and records when each was last written,
 * for idle expiry on an injected clock.
 */
import { type Clock, systemClock } from '../../util/clock';
import type { SipRequest, SipResponse } from '../index';
import { dialogKey, dialogSetKey, incomingDialogId } from './dialog-id';
import { DialogError } from './errors';
import type { Dialog, DialogId } from './types';

export interface DialogTableOptions {
  readonly capacity: number;
  readonly clock?: Clock;
}

export interface DialogEntry {
  readonly dialog: Dialog;
  /** clock time of the last add, update or touch */
  readonly touchedAt: number;
}

export class DialogTable {
  readonly capacity: number;
  private readonly clock: Clock;
  private readonly byKey = new Map<string, DialogEntry>();
  private readonly bySet = new Map<string, Set<string>>();

  constructor(opts: DialogTableOptions) {
    if (!Number.isInteger(opts.capacity) || opts.capacity <= 0) {
      throw new DialogError(
        'DIALOG_BAD_CAPACITY',
        `dialog table capacity ${opts.capacity} is not a positive integer`,
      );
    }
    this.capacity = opts.capacity;
    this.clock = opts.clock ?? systemClock;
  }

  get size(): number {
    return this.byKey.size;
  }

  get(id: DialogId): Dialog | undefined {
    return this.byKey.get(dialogKey(id))?.dialog;
  }

  /** Add a new dialog; throws DIALOG_TABLE_FULL (503) at capacity, DIALOG_DUPLICATE if present. */
  add(dialog: Dialog): void {
    const key = dialogKey(dialog.id);
    if (this.byKey.has(key)) throw new DialogError('DIALOG_DUPLICATE', 'dialog already in the table');
    if (this.byKey.size >= this.capacity) {
      throw new DialogError('DIALOG_TABLE_FULL', `dialog table full (${this.capacity})`, { sipStatus: 503 });
    }
    this.byKey.set(key, { dialog, touchedAt: this.clock.now() });
    if (dialog.role === 'uac') {
      const setKey = dialogSetKey(dialog.id.callId, dialog.id.localTag);
      const set = this.bySet.get(setKey) ?? new Set<string>();
      set.add(key);
      this.bySet.set(setKey, set);
    }
  }

  /** Store the new state of a dialog in the table; a terminated dialog is removed instead. */
  update(dialog: Dialog): void {
    const key = dialogKey(dialog.id);
    if (!this.byKey.has(key)) throw new DialogError('DIALOG_UNKNOWN', 'dialog not in the table');
    if (dialog.state === 'terminated') this.remove(dialog.id);
    else this.byKey.set(key, { dialog, touchedAt: this.clock.now() });
  }

  /** Mark activity without a state change (e.g. an in-dialog request); false when unknown. */
  touch(id: DialogId): boolean {
    const key = dialogKey(id);
    const entry = this.byKey.get(key);
    if (entry === undefined) return false;
    this.byKey.set(key, { dialog: entry.dialog, touchedAt: this.clock.now() });
    return true;
  }

  remove(id: DialogId): boolean {
    const key = dialogKey(id);
    if (!this.byKey.delete(key)) return false;
    const setKey = dialogSetKey(id.callId, id.localTag);
    const set = this.bySet.get(setKey);
    set?.delete(key);
    if (set?.size === 0) this.bySet.delete(setKey);
    return true;
  }

  /** The dialog an incoming request belongs to (undefined: none, answer 481 if it has a To tag). */
  forRequest(request: SipRequest): Dialog | undefined {
    const id = incomingDialogId(request);
    return id === undefined ? undefined : this.get(id);
  }

  /** The dialog an incoming response belongs to (undefined: a new fork, or none). */
  forResponse(response: SipResponse): Dialog | undefined {
    const id = incomingDialogId(response);
    return id === undefined ? undefined : this.get(id);
  }

  /** Every UAC dialog created by the request with this Call-ID and From tag (all forks). */
  dialogSet(callId: string, localTag: string): Dialog[] {
    const keys = this.bySet.get(dialogSetKey(callId, localTag)) ?? new Set<string>();
    const out: Dialog[] = [];
    for (const key of keys) {
      const entry = this.byKey.get(key);
      if (entry !== undefined) out.push(entry.dialog);
    }
    return out;
  }

  entries(): IterableIterator<DialogEntry> {
    return this.byKey.values();
  }

  /** Dialogs last written or touched before `cutoff` (clock time), e.g. now - maxIdleMs. */
  idleSince(cutoff: number): Dialog[] {
    const out: Dialog[] = [];
    for (const entry of this.byKey.values()) if (entry.touchedAt < cutoff) out.push(entry.dialog);
    return out;
  }
}
