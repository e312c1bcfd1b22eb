/**
 * The engine's proxy (protocol doc §3.5, §6.1 items 2-3, §7): `proxy` frames from apps start a
 * stateful proxy session on the server transaction the app was given; requests and ACKs inside
 * record-routed dialogs are relayed without the app; a CANCEL of a proxied INVITE is answered
 * here and cancels the branches instead of reaching the app.
 */
import type { SipRequest } from '../../sip';
import type { ServerTransaction } from '../../sip/stack';
import { toError } from '../../util/errors';
import type { ControlConnection } from '../control/control-connection';
import type { EngineDeps } from '../core/engine-deps';
import { AppReport } from './app-report';
import { TIMER_C_MS } from './proxy-branch';
import { parseProxyFrame, type ProxyFrame } from './proxy-options';
import { ProxySession } from './proxy-session';
import { isRecordRouted, relayAck, relayRequest } from './route-relay';
import { engineFinal } from '../core/engine-final';

const TOO_MANY_HOPS = 'Rejected with 483 Too Many Hops due to Max-Forwards value of 0';

function maxForwardsOf(req: SipRequest): number | undefined {
  try {
    return req.maxForwards();
  } catch {
    return undefined; // malformed: treated as absent (70 is set when forwarding)
  }
}

export class ProxyCore {
  /** INVITE server transactions being proxied or relayed → how a caller CANCEL is carried out. */
  private readonly cancellers = new Map<ServerTransaction, () => void>();

  constructor(
    private readonly deps: EngineDeps,
    private readonly timerCMs = TIMER_C_MS,
  ) {}

  get activeCount(): number {
    return this.cancellers.size;
  }

  onProxyFrame(conn: ControlConnection, msgId: string, tokens: string[], sip: string): void {
    let frame: ProxyFrame;
    try {
      frame = parseProxyFrame(tokens, sip);
    } catch (e) {
      conn.respond(msgId, ['NOK', toError(e).message.replace(/[|\r\n]/g, ' ')]);
      return;
    }
    const pending = this.deps.state.servers.get(frame.txnId);
    const txn = pending?.txn;
    if (!txn || txn.finalResponseStatus !== undefined || this.cancellers.has(txn)) {
      conn.respond(msgId, ['NOK', `Unknown transaction id: ${frame.txnId}`]);
      return;
    }
    this.deps.state.servers.delete(frame.txnId); // the app may no longer answer it itself
    if (maxForwardsOf(txn.request) === 0) {
      engineFinal(this.deps, txn, 483); // §16.3 item 3
      conn.respond(msgId, ['NOK', TOO_MANY_HOPS]);
      return;
    }
    const report = new AppReport(conn, msgId, frame.options.fullResponse);
    const session = new ProxySession({
      deps: this.deps,
      txn,
      options: frame.options,
      appHeaders: frame.headers,
      report,
      timerCMs: this.timerCMs,
    });
    this.register(txn, () => {
      session.cancelByCaller();
    });
    session.start().catch((e: unknown) => {
      this.deps.log.error({ err: toError(e) }, 'proxy session failed');
      engineFinal(this.deps, txn, 500);
      report.fail('error proxying request to ');
    });
  }

  /** A new request from the network: true when it belongs to a record-routed dialog. */
  claimRequest(txn: ServerTransaction): boolean {
    if (!isRecordRouted(this.deps, txn.request)) return false;
    relayRequest(this.deps, txn, (invite, cancel) => {
      this.register(invite, cancel);
    });
    return true;
  }

  /** An ACK outside any transaction: true when it is for a 2xx in a record-routed dialog. */
  claimAck(ack: SipRequest): boolean {
    if (!isRecordRouted(this.deps, ack)) return false;
    relayAck(this.deps, ack);
    return true;
  }

  /** CANCEL of an INVITE we proxy (§16.10, protocol doc §6.1 item 3): 200, then cancel branches. */
  claimCancel(cancel: ServerTransaction, invite: ServerTransaction): boolean {
    const cancelIt = this.cancellers.get(invite);
    if (!cancelIt) return false;
    cancel.respondWith(200);
    if (invite.finalResponseStatus === undefined) cancelIt();
    return true;
  }

  private register(txn: ServerTransaction, cancel: () => void): void {
    if (txn.method !== 'INVITE') return;
    this.cancellers.set(txn, cancel);
    txn.on((e) => {
      if (e === 'terminated') this.cancellers.delete(txn);
    });
  }
}
