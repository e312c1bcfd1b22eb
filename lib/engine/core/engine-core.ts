/**
 * The engine core: the SIP stack's transaction user on one side, the apps' `sip` frames on the
 * other (protocol doc §3.4 dispatch order: response → in-dialog request → CANCEL → new request).
 * Every app frame gets exactly one `response` frame; failures are `NOK` with drachtio-server's
 * reason texts (§9).
 */
import type { SipRequest, SipResponse } from '../../sip';
import { wireBuffer, type ServerTransaction, type StackUser } from '../../sip/stack';
import type { Flow } from '../../sip/transport';
import { toError } from '../../util/errors';
import { parseAppSip } from '../app-message/parse-app-sip';
import type { ControlConnection } from '../control/control-connection';
import { onAppDialogRequest } from './app-dialog-requests';
import { onAppCancel, onAppNewRequest } from './app-requests';
import { onAppResponse } from './app-responses';
import type { EngineDeps } from './engine-deps';
import { onNetworkAck, onNetworkCancel } from './network-ack-cancel';
import { onNetworkRequest } from './network-requests';
import { engineFinal } from './engine-final';
import { incomingDialogId } from '../../sip/dialog';
import { ProxyCore } from '../proxy/proxy-core';

export class EngineCore implements StackUser {
  /** `srf.proxyRequest` sessions and relaying inside record-routed dialogs (§7). */
  readonly proxy: ProxyCore;

  constructor(private readonly deps: EngineDeps) {
    this.proxy = new ProxyCore(deps);
  }

  onRequest(txn: ServerTransaction): void {
    if (this.proxy.claimRequest(txn)) return; // record-routed dialog: never reaches an app (§6.1 item 2)
    onNetworkRequest(this.deps, txn);
  }

  onCancel(cancel: ServerTransaction, invite: ServerTransaction): void {
    if (this.proxy.claimCancel(cancel, invite)) return; // proxied INVITE: cancel the branches (§6.1 item 3)
    onNetworkCancel(this.deps, cancel, invite);
  }

  onAck(ack: SipRequest, flow: Flow): void {
    if (this.proxy.claimAck(ack)) return;
    onNetworkAck(this.deps, ack, flow);
  }

  /** A 2xx retransmission after our INVITE transaction ended: repeat the ACK we sent (§13.2.2.4). */
  onStrayResponse(res: SipResponse, _flow: Flow): void {
    if (res.cseq().method !== 'INVITE' || res.status < 200 || res.status >= 300) return;
    const id = incomingDialogId(res);
    const d = id ? this.deps.state.dialog(id) : undefined;
    if (d?.lastAck?.cseq === res.cseq().seq)
      this.deps.stack.send(d.lastAck.target, wireBuffer(d.lastAck.wire)).catch(() => undefined);
  }

  onTraffic(
    conn: ControlConnection,
    kind: 'sip' | 'proxy',
    msgId: string,
    tokens: string[],
    sip: string,
  ): void {
    if (kind === 'proxy') {
      this.proxy.onProxyFrame(conn, msgId, tokens, sip);
      return;
    }
    const [txnId = '', dialogId = '', routeUri] = tokens;
    const fail = (e: unknown): void => {
      conn.respond(msgId, ['NOK', toError(e).message.replace(/[|\r\n]/g, ' ')]);
    };
    try {
      const app = parseAppSip(sip);
      if (app.kind === 'response') {
        const pending = this.deps.state.servers.get(txnId);
        if (!pending) conn.respond(msgId, ['NOK', 'Response not sent due to unknown transaction']);
        else onAppResponse(this.deps, conn, msgId, pending, app);
      } else if (dialogId !== '') {
        onAppDialogRequest(this.deps, conn, msgId, dialogId, app).catch(fail);
      } else if (txnId !== '') {
        if (app.method === 'CANCEL') onAppCancel(this.deps, conn, msgId, txnId, app);
        else conn.respond(msgId, ['NOK', 'transaction id missing']);
      } else {
        onAppNewRequest(this.deps, conn, msgId, app, routeUri === '' ? undefined : routeUri).catch(fail);
      }
    } catch (e) {
      fail(e);
    }
  }

  /** An app went away: its unanswered requests get 480 instead of hanging (§1.1). */
  onAppGone(conn: ControlConnection): void {
    for (const pending of [...this.deps.state.servers.values()]) {
      if (pending.owner !== conn || pending.txn.finalResponseStatus !== undefined) continue;
      if (pending.txn.method === 'CANCEL') continue;
      pending.heldFinal?.drop();
      engineFinal(this.deps, pending.txn, 480);
    }
    for (const [id, pending] of this.deps.state.clients)
      if (pending.owner === conn) this.deps.state.clients.delete(id);
  }
}
