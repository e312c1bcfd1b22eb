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

export interface PendingServer {
  readonly appTxnId: string;
  readonly txn: ServerTransaction;
  readonly owner: ControlConnection;
  /** Set for in-dialog requests and once the app's first response created a dialog. */
  appDialogId: string | undefined;
  cancelled: boolean;
}

export interface PendingClient {
  readonly appTxnId: string;
  readonly txn: ClientTransaction;
  readonly owner: ControlConnection;
  readonly request: SipRequest;
  /** For INVITE: the dialog id reported with every response (§6.3). */
  readonly appDialogId: string | undefined;
  cancelled: boolean;
}

export class EngineState {
  readonly servers = new Map<string, PendingServer>();
  readonly clients = new Map<string, PendingClient>();
  private readonly dialogs = new Map<string, EngineDialog>();
  private readonly dialogsByApp = new Map<string, EngineDialog>();

  addDialog(d: EngineDialog): void {
    this.dialogs.set(dialogKey(d.dialog.id), d);
    this.dialogsByApp.set(d.appDialogId, d);
  }

  dialog(id: DialogId): EngineDialog | undefined {
    return this.dialogs.get(dialogKey(id));
  }

  dialogByAppId(appDialogId: string): EngineDialog | undefined {
    return this.dialogsByApp.get(appDialogId);
  }

  removeDialog(d: EngineDialog): void {
    d.pending2xx?.stop();
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
