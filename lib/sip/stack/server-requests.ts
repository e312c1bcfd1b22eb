/**
 * Requests arriving at the stack (RFC 3261 §17.2.3 matching, §8.2.2.2 merged requests, §9.2
 * CANCEL): retransmissions go to their server transaction, ACKs to theirs or to the TU, CANCELs
 * are matched to their INVITE (481 when none), new requests get a server transaction (503 when
 * the table is full) and go to the TU.
 */
import type { Clock } from '../../util/clock';
import type { SipRequest } from '../request';
import { responseTo } from '../stateless-response';
import {
  TransactionTable,
  cancelTargetKey,
  legacyToTagMatches,
  mergedRequestKey,
  serverKey,
  type MergeKey,
  type ServerKey,
  type TimerConfig,
} from '../transaction';
import type { Flow, SendTarget } from '../transport';
import { requestFields } from './request-fields';
import { responseTarget } from './response-target';
import { ServerTransaction, type ServerTransactionHost } from './server-transaction';
import { SHED_STAT, type StackStats, type StackUser } from './stack-types';
import { stampReceived } from './via-stamp';
import { isSheddable, type OverloadGuard } from './overload';

export interface ServerRequestsHost {
  readonly stats: StackStats;
  readonly clock: Clock;
  user(): StackUser;
  timers(reliable: boolean): TimerConfig;
  send(target: SendTarget, buf: Buffer): Promise<Flow>;
  readonly overload: OverloadGuard;
}

export class ServerRequests {
  private readonly servers: TransactionTable<ServerKey, ServerTransaction>;
  private readonly merges = new Map<MergeKey, ServerKey>();
  /** One host for every transaction (no closures per transaction: thousands linger, §17.2). */
  private readonly txnHost: ServerTransactionHost;

  constructor(
    capacity: number | undefined,
    private readonly host: ServerRequestsHost,
  ) {
    this.servers = new TransactionTable(capacity);
    this.txnHost = {
      clock: host.clock,
      timers: (reliable) => host.timers(reliable),
      send: (t, buf) => host.send(t, buf),
      onAckInAccepted: (ack, f) => {
        host.user().onAck(ack, f);
      },
      onTerminated: (t) => {
        if (this.servers.find(t.key) === t) this.servers.remove(t.key);
        const merge = t.mergeKey;
        if (merge !== undefined && this.merges.get(merge) === t.key) this.merges.delete(merge);
      },
    };
  }

  get size(): number {
    return this.servers.size;
  }

  onRequest(req: SipRequest, flow: Flow): void {
    this.host.stats.requestsReceived++;
    stampReceived(req, flow);
    const fields = requestFields(req);
    const key = serverKey(fields);
    const existing = this.servers.find(key);
    const matches =
      existing !== undefined &&
      legacyToTagMatches(fields, {
        requestToTag: existing.requestToTag,
        responseToTag: existing.localTag,
      });
    if (req.method === 'ACK') {
      if (existing && matches) existing.ack(req, flow);
      else this.host.user().onAck(req, flow);
      return;
    }
    if (existing && matches) {
      this.host.stats.retransmissionsAbsorbed++;
      existing.retransmission();
      return;
    }
    if (isSheddable(req.method, fields.toTag) && this.shed(req, flow)) return;
    const merge = req.method === 'CANCEL' ? undefined : mergedRequestKey(fields);
    const merged = merge !== undefined && this.merges.has(merge);
    const txn = this.newServer(req, flow, key, merge);
    if (!txn) return;
    if (merged) {
      this.host.stats.mergedRequests++;
      txn.respondWith(482);
    } else if (req.method === 'CANCEL') {
      this.onCancel(txn, fields);
    } else {
      this.host.user().onRequest(txn);
    }
  }

  /** Saturated: refuse a new out-of-dialog request statelessly (§8.2.7) before it costs a transaction. */
  private shed(req: SipRequest, flow: Flow): boolean {
    const guard = this.host.overload;
    const reason = guard.shedReason(this.servers.size, req);
    if (reason === undefined) return false;
    const stats = this.host.stats;
    stats.overloadShed++;
    stats[SHED_STAT[reason]]++;
    const reply = responseTo(req, 503, { headers: [['Retry-After', guard.retryAfter]] });
    this.host.send(responseTarget(flow, req.via()[0]), reply).catch(() => undefined);
    return true;
  }

  private onCancel(cancel: ServerTransaction, fields: ReturnType<typeof requestFields>): void {
    const invite = this.servers.find(cancelTargetKey(fields));
    if (invite?.method === 'INVITE') {
      this.host.user().onCancel(cancel, invite);
      return;
    }
    this.host.stats.unmatchedCancels++;
    cancel.respondWith(481);
  }

  private newServer(
    req: SipRequest,
    flow: Flow,
    key: ServerKey,
    merge: MergeKey | undefined,
  ): ServerTransaction | undefined {
    const txn = new ServerTransaction(req, flow, key, this.txnHost);
    const added = this.servers.add(key, txn);
    if (!added.ok) {
      this.host.stats.overload++;
      this.host
        .send(responseTarget(flow, req.via()[0]), responseTo(req, 503, { headers: [['Retry-After', '5']] }))
        .catch(() => undefined);
      return undefined;
    }
    if (merge !== undefined && !this.merges.has(merge)) {
      this.merges.set(merge, key);
      txn.mergeKey = merge;
    }
    txn.start();
    return txn;
  }
}
