/**
 * What the engine tracks between the network and its apps: server transactions awaiting an app's
 * response, client transactions started by apps, and dialogs — each keyed the way the app refers
 * to it (app txn id, `Call-ID;from-tag=…`) and the way the network does (RFC 3261 dialog id).
 */
import { dialogKey, type DialogId } from '../../sip/dialog';
import type { ClientTransaction, ServerTransaction } from '../../sip/stack';
import type { SipRequest } from '../../sip';
import type { ControlConnection } from '../control/control-connection';
import type { EngineDialog } from './engine-dialog';
import { compactDialog } from './compact';
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
  private readonly dialogs = new Map<string, EngineDialog>();
  private readonly dialogsByApp = new Map<string, EngineDialog>();
  /** RFC 4028 settings (tests shorten `msPerSecond`). */
  readonly sessionTimer: SessionTimerConfig = defaultSessionTimerConfig();

  addDialog(d: EngineDialog): void {
    d.dialog = compactDialog(d.dialog);
    this.dialogs.set(dialogKey(d.dialog.id), d);
    this.dialogsByApp.set(d.appDialogId, d);
  }

  /** Lookups are traffic in the dialog: they reset its idle count (dialog-safety-net.ts). */
  dialog(id: DialogId): EngineDialog | undefined {
    const d = this.dialogs.get(dialogKey(id));
    if (d) d.idleSweeps = 0;
    return d;
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
    return [...this.dialogs.values()];
  }

  removeDialog(d: EngineDialog): void {
    d.pending2xx?.stop();
    d.unacked?.retrans.stop();
    d.unacked = undefined;
    d.sessionTimer?.timer?.cancel();
    d.sessionTimer = undefined;
    this.dialogs.delete(dialogKey(d.dialog.id));
    if (this.dialogsByApp.get(d.appDialogId) === d) this.dialogsByApp.delete(d.appDialogId);
  }

  dialogsOf(owner: ControlConnection): EngineDialog[] {
    return [...this.dialogs.values()].filter((d) => d.owner === owner);
  }

  get dialogCount(): number {
    return this.dialogs.size;
  }
}
