/**
 * What the engine tracks between the network and its apps: server transactions awaiting an app's
 * response, client transactions started by apps, and dialogs — each keyed the way the app refers
 * to it (app txn id, `Call-ID;from-tag=…`) and the way the network does (RFC 3261 dialog id:
 * Call-ID, then the tags among the few dialogs sharing it). The maps' keys are strings the dialog
 * holds anyway (its Call-ID and app dialog id), so an index entry costs no string of its own.
 */
import { sameDialogId, type DialogId } from '../../sip/dialog';
import type { ClientTransaction, ServerTransaction } from '../../sip/stack';
import type { SipRequest } from '../../sip';
import type { ControlConnection } from '../control/control-connection';
import type { EngineDialog } from './engine-dialog';
import { compactDialog, ownString } from './compact';
import { defaultSessionTimerConfig, type SessionTimerConfig } from '../session-timer/session-timer-state';

export interface PendingServer {
  readonly appTxnId: string;
  readonly txn: ServerTransaction;
  readonly owner: ControlConnection;
  /** Set for in-dialog requests and once the app's first response created a dialog. */
  appDialogId: string | undefined;
  cancelled: boolean;
  /** RSeq of the last reliable 1xx sent for this INVITE (RFC 3262 §7.1). */
  lastRseq?: number | undefined;
  /** The app's 2xx to this INVITE, held until a reliable 1xx with SDP is PRACKed (held-final.ts). */
  heldFinal?: HeldFinal | undefined;
}

/** A final response the engine holds back: `release` sends it (and tells the app), `drop` refuses it. */
export interface HeldFinal {
  release(): void;
  drop(): void;
}

export interface PendingClient {
  readonly appTxnId: string;
  readonly txn: ClientTransaction;
  readonly owner: ControlConnection;
  readonly request: SipRequest;
  /** For INVITE: the dialog id reported with every response (§6.3). */
  readonly appDialogId: string | undefined;
  cancelled: boolean;
  /** INVITE: the dialogs its responses created, one per To tag (forks, uac-forks.ts). */
  forks?: EngineDialog[] | undefined;
  /** INVITE: dialog key of the fork whose 2xx came first (§13.2.2.4). */
  winnerKey?: string | undefined;
  /** INVITE: late forks' dialog keys already sent a BYE. */
  lateForks?: Set<string> | undefined;
}

export class EngineState {
  readonly servers = new Map<string, PendingServer>();
  readonly clients = new Map<string, PendingClient>();
  /** By Call-ID: one dialog, or all dialogs sharing it (forks, a call looped through us). */
  private readonly dialogs = new Map<string, EngineDialog | EngineDialog[]>();
  private readonly dialogsByApp = new Map<string, EngineDialog>();
  private count = 0;
  /** RFC 4028 settings (tests shorten `msPerSecond`). */
  readonly sessionTimer: SessionTimerConfig = defaultSessionTimerConfig();

  addDialog(d: EngineDialog): void {
    d.dialog = compactDialog(d.dialog);
    d.appDialogId = ownString(d.appDialogId);
    const { callId } = d.dialog.id;
    const had = this.dialogs.get(callId);
    const same = had === undefined ? -1 : this.indexIn(had, d.dialog.id);
    if (had === undefined) this.dialogs.set(callId, d);
    else if (!Array.isArray(had)) this.dialogs.set(callId, same === 0 ? d : [had, d]);
    else if (same >= 0) had[same] = d;
    else had.push(d);
    if (same < 0) this.count++;
    this.dialogsByApp.set(d.appDialogId, d);
  }

  /** Lookups are traffic in the dialog: they reset its idle count (dialog-safety-net.ts). */
  dialog(id: DialogId): EngineDialog | undefined {
    const had = this.dialogs.get(id.callId);
    if (had === undefined) return undefined;
    const i = this.indexIn(had, id);
    const d = i < 0 ? undefined : Array.isArray(had) ? had[i] : had;
    if (d) d.idleSweeps = 0;
    return d;
  }

  /** Position of the dialog with `id` in a Call-ID's entry (0 for a single one), -1 if none. */
  private indexIn(had: EngineDialog | EngineDialog[], id: DialogId): number {
    if (!Array.isArray(had)) return sameDialogId(had.dialog.id, id) ? 0 : -1;
    return had.findIndex((d) => sameDialogId(d.dialog.id, id));
  }

  dialogByAppId(appDialogId: string): EngineDialog | undefined {
    const d = this.dialogsByApp.get(appDialogId);
    if (d) d.idleSweeps = 0;
    return d;
  }

  /** Make `d` the dialog its app id refers to (the winning fork of an INVITE). */
  indexByApp(d: EngineDialog): void {
    this.dialogsByApp.set(d.appDialogId, d);
  }

  allDialogs(): EngineDialog[] {
    return [...this.dialogs.values()].flat();
  }

  removeDialog(d: EngineDialog): void {
    d.pending2xx?.stop();
    d.unacked?.retrans.stop();
    d.unacked = undefined;
    d.sessionTimer?.timer?.cancel();
    const held = d.sessionTimer?.inFlight?.held.splice(0) ?? [];
    d.sessionTimer = undefined;
    this.forget(d);
    if (this.dialogsByApp.get(d.appDialogId) === d) this.dialogsByApp.delete(d.appDialogId);
    // App requests held behind our refresh (refresh-hold.ts) learn at once that the dialog is gone.
    for (const release of held) release();
  }

  /** Drops the Call-ID index entry of exactly `d` (not another dialog with its id). */
  private forget(d: EngineDialog): void {
    const { callId } = d.dialog.id;
    const had = this.dialogs.get(callId);
    if (had === d) this.dialogs.delete(callId);
    if (!Array.isArray(had) || !had.includes(d)) {
      if (had === d) this.count--;
      return;
    }
    const rest = had.filter((x) => x !== d);
    this.dialogs.set(callId, rest.length === 1 && rest[0] ? rest[0] : rest);
    this.count--;
  }

  dialogsOf(owner: ControlConnection): EngineDialog[] {
    return this.allDialogs().filter((d) => d.owner === owner);
  }

  get dialogCount(): number {
    return this.count;
  }
}
