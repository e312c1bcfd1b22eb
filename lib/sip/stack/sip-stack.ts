/**
 * The SIP stack: transport ⇄ message layer ⇄ RFC 3261 §17 transactions, with the UAS/UAC core
 * rules that belong below any TU — §18.2.1 received/rport stamping, stateless 400/505/513 for
 * broken requests (§16.3/§21.4), invalid responses dropped, §18.1.2 sent-by check on responses,
 * CANCEL matching (§9.2) with 481 when nothing matches, merged-request detection (§8.2.2.2, 482),
 * and 503 when the transaction table is full.
 */
import type { Clock } from '../../util/clock';
import type { Log } from '../../util/logger';
import { toError } from '../../util/errors';
import { parseMessage } from '../parse-message';
import type { SipLimits } from '../limits';
import type { SipRequest, SipResponse } from '../request';
import { errorResponse } from '../stateless-response';
import { validateMessage } from '../validate';
import type { HeaderField } from '../build';
import { TransactionTable, clientKey, timerConfig, type ClientKey, type TimerConfig } from '../transaction';
import {
  sendTargetWith,
  type Flow,
  type ListenerInfo,
  type SendTarget,
  type TransportManager,
} from '../transport';
import { ClientTransaction, type ClientHandlers, type ClientTransactionHost } from './client-transaction';
import { cancelFor } from './derived-requests';
import { responseTarget } from './response-target';
import { sentBy } from './sent-by';
import { newStackStats, type StackStats, type StackUser } from './stack-types';
import { ServerRequests } from './server-requests';
import { newBranch, ownVia } from './via-stamp';
import { OverloadGuard, type OverloadOptions } from './overload';
import { logTracer, type MessageTracer } from './message-trace';

export interface SipStackOptions {
  transport: TransportManager;
  clock: Clock;
  log: Log;
  timers?: { t1?: number; t2?: number; t4?: number; tryingDelay?: number | null };
  limits?: Partial<SipLimits>;
  tableCapacity?: number;
  /** Early 503 for new out-of-dialog requests while saturated (overload.ts); default: event-loop delay > 200 ms two windows in a row (the busy-loop admission cap is opt-in). */
  overload?: OverloadOptions;
  /** Log every message received and sent, one line each (message-trace.ts); default off. */
  traceMessages?: boolean;
}

const NO_USER: StackUser = {
  onRequest: (txn) => {
    txn.respondWith(503);
  },
  onCancel: (cancel) => {
    cancel.respondWith(481);
  },
  onAck: () => undefined,
  onStrayResponse: () => undefined,
};

export class SipStack {
  readonly stats: StackStats = newStackStats();
  private user: StackUser = NO_USER;
  private readonly serverRequests: ServerRequests;
  private readonly clients: TransactionTable<ClientKey, ClientTransaction>;
  private readonly timerConfigs: Record<'reliable' | 'unreliable', TimerConfig>;
  readonly overload: OverloadGuard;
  /** One host for every client transaction (no closures per transaction: thousands linger). */
  private readonly clientHost: ClientTransactionHost;
  private readonly trace: MessageTracer | undefined;

  constructor(private readonly o: SipStackOptions) {
    this.trace = o.traceMessages === true ? logTracer(o.log) : undefined;
    this.overload = new OverloadGuard({ queueDelaySource: () => o.transport.queueDelayMs(), ...o.overload });
    const overload = this.overload;
    this.serverRequests = new ServerRequests(o.tableCapacity, {
      overload,
      stats: this.stats,
      clock: o.clock,
      user: () => this.user,
      timers: (reliable) => this.timers(reliable),
      send: (t, buf) => this.send(t, buf),
    });
    this.clients = new TransactionTable(o.tableCapacity);
    this.clientHost = {
      clock: o.clock,
      timers: (reliable) => this.timers(reliable),
      send: (t, buf) => this.send(t, buf),
      onTerminated: (t) => {
        if (this.clients.find(t.key) === t) this.clients.remove(t.key);
      },
    };
    this.timerConfigs = {
      reliable: timerConfig({ ...o.timers, reliable: true }),
      unreliable: timerConfig({ ...o.timers, reliable: false }),
    };
    o.transport.on('message', (buf, flow) => {
      this.onMessage(buf, flow);
    });
  }

  /** Stop the event-loop delay monitor. */
  close(): void {
    this.overload.close();
  }

  setUser(user: StackUser): void {
    this.user = user;
  }

  get transactionCounts(): { server: number; client: number } {
    return { server: this.serverRequests.size, client: this.clients.size };
  }

  /** Send a request in a new client transaction; our Via (new branch, rport) is put on top. */
  request(req: SipRequest, target: SendTarget, handlers: ClientHandlers): ClientTransaction {
    const listener = this.listenerFor(target);
    const branch = newBranch();
    const by = sentBy(listener);
    req.prependHeader('Via', ownVia(target.transport, by.host, by.port, branch));
    const t = target.transport === 'udp' ? sendTargetWith(target, { listenerId: listener.id }) : target;
    return this.startClient(req, t, handlers, branch);
  }

  /**
   * CANCEL a pending INVITE client transaction (§9.1): same branch, same target, sent once the
   * INVITE has a provisional response and never after its final one. Returns the CANCEL as it
   * will be sent.
   */
  cancel(
    invite: ClientTransaction,
    extra: readonly HeaderField[],
    handlers: ClientHandlers,
  ): { request: SipRequest } {
    const branch = invite.request.via()[0]?.branch ?? newBranch();
    const request = cancelFor(invite.request, extra);
    invite.whenProvisional(() => {
      this.startClient(request, invite.sendTarget, handlers, branch);
    });
    return { request };
  }

  /** Send a request outside any transaction (ACK for 2xx, §13.2.2.4): new branch on top. */
  sendAck(ack: SipRequest, target: SendTarget): Promise<Flow> {
    const listener = this.listenerFor(target);
    const by = sentBy(listener);
    ack.prependHeader('Via', ownVia(target.transport, by.host, by.port, newBranch()));
    return this.send(
      target.transport === 'udp' ? sendTargetWith(target, { listenerId: listener.id }) : target,
      ack.toBuffer(),
    );
  }

  /** Send bytes as they are (a stateless response, a forwarded message). */
  send(target: SendTarget, buf: Buffer): Promise<Flow> {
    this.trace?.('out', buf, `${target.transport}:${target.address}:${target.port}`);
    return this.o.transport.send(target, buf).catch((e: unknown) => {
      this.stats.transportErrors++;
      throw e;
    });
  }

  /** The listener a request to `target` leaves from (same transport; the given one if named). */
  listenerFor(target: SendTarget): ListenerInfo {
    const all = this.o.transport.listeners();
    const named = target.listenerId === undefined ? undefined : all.find((l) => l.id === target.listenerId);
    const v6 = target.address.includes(':');
    const fits = (l: ListenerInfo): boolean =>
      l.transport === target.transport && l.address.includes(':') === v6;
    const chosen = named ?? all.find(fits) ?? all.find((l) => l.transport === target.transport) ?? all[0];
    if (!chosen) throw new Error('no SIP listener');
    return chosen;
  }

  private startClient(
    req: SipRequest,
    target: SendTarget,
    handlers: ClientHandlers,
    branch: string,
  ): ClientTransaction {
    const key = clientKey(branch, req.method);
    if (key === undefined) throw new Error('client transaction without branch');
    const txn = new ClientTransaction(req, target, key, handlers, this.clientHost);
    const added = this.clients.add(key, txn);
    if (!added.ok) throw added.error;
    txn.start();
    return txn;
  }

  private timers(reliable: boolean): TimerConfig {
    return reliable ? this.timerConfigs.reliable : this.timerConfigs.unreliable;
  }

  private onMessage(buf: Buffer, flow: Flow): void {
    try {
      // Inside the guard: nothing about a hostile datagram may escape the receive path.
      this.trace?.('in', buf, `${flow.transport}:${flow.remoteAddress}:${flow.remotePort}`);
      this.dispatch(buf, flow);
    } catch (e) {
      this.stats.dropped++;
      this.o.log.error(
        { err: toError(e), from: `${flow.remoteAddress}:${flow.remotePort}` },
        'SIP message handling failed',
      );
    }
  }

  private dispatch(buf: Buffer, flow: Flow): void {
    const parsed = parseMessage(buf, {
      datagram: flow.transport === 'udp',
      ...(this.o.limits ? { limits: this.o.limits } : {}),
    });
    if (!parsed.ok) {
      this.reject(errorResponse(parsed.error), flow, parsed.error.message);
      return;
    }
    const msg = parsed.value;
    const invalid = validateMessage(msg);
    if (invalid) {
      this.reject(msg.kind === 'request' ? errorResponse(invalid) : undefined, flow, invalid.message);
      return;
    }
    if (msg.kind === 'request') this.serverRequests.onRequest(msg, flow);
    else this.onResponse(msg, flow);
  }

  private reject(reply: Buffer | undefined, flow: Flow, why: string): void {
    this.o.log.debug(
      { from: `${flow.remoteAddress}:${flow.remotePort}`, why, answered: reply !== undefined },
      'bad SIP message',
    );
    if (reply === undefined) {
      this.stats.dropped++;
      return;
    }
    this.stats.statelessRejections++;
    this.send(responseTarget(flow, undefined), reply).catch(() => undefined);
  }

  private onResponse(res: SipResponse, flow: Flow): void {
    this.stats.responsesReceived++;
    const top = res.via()[0];
    const key = clientKey(top?.branch, res.cseq().method);
    const txn = key === undefined ? undefined : this.clients.find(key);
    if (txn) {
      txn.response(res, flow);
      return;
    }
    if (!top || !this.isOurSentBy(top.host, top.port)) {
      this.stats.dropped++; // §18.1.2: not ours
      return;
    }
    this.user.onStrayResponse(res, flow);
  }

  private isOurSentBy(host: string, port: number | undefined): boolean {
    const bare = host.replace(/^\[|\]$/g, '');
    return this.o.transport.listeners().some((l) => {
      const by = sentBy(l);
      return by.host.replace(/^\[|\]$/g, '') === bare && (port === undefined || port === by.port);
    });
  }
}
