/** What the SIP stack (transport + parser + transactions) offers its transaction user. */
import type { Flow } from '../transport';
import type { SipRequest, SipResponse } from '../request';
import type { ServerTransaction } from './server-transaction';
import type { ShedReason } from './overload';

/** The transaction user: a UA core, proxy core or the engine's app bridge. */
export interface StackUser {
  /** A new request (not ACK, not CANCEL) with its server transaction; the TU must answer it. */
  onRequest(txn: ServerTransaction): void;
  /**
   * A CANCEL matching a pending INVITE server transaction (§9.2). The TU answers the CANCEL
   * (normally 200) and, if the INVITE is still pending, the INVITE with 487.
   */
  onCancel(cancel: ServerTransaction, invite: ServerTransaction): void;
  /** An ACK for a 2xx (its own transaction, §13.2.2.4 / §17.2.1 + RFC 6026). */
  onAck(ack: SipRequest, flow: Flow): void;
  /** A response that matches no client transaction, e.g. a retransmitted 2xx to INVITE. */
  onStrayResponse(response: SipResponse, flow: Flow): void;
}

/** Counters the observability layer turns into metrics. */
export interface StackStats {
  requestsReceived: number;
  responsesReceived: number;
  /** Unparseable or invalid requests answered statelessly (400/505/513). */
  statelessRejections: number;
  /** Unparseable or invalid messages dropped without an answer (incl. invalid responses). */
  dropped: number;
  retransmissionsAbsorbed: number;
  /** §8.2.2.2 merged requests answered 482. */
  mergedRequests: number;
  /** CANCELs without a matching INVITE answered 481. */
  unmatchedCancels: number;
  /** Sends the transport could not carry out. */
  transportErrors: number;
  /** New transactions refused because the table was full (503). */
  overload: number;
  /** New out-of-dialog requests (INVITE, REGISTER, …) refused early with 503 + Retry-After while saturated (overload.ts). */
  overloadShed: number;
  /** … of which by reason (overload.ts SHED_REASONS). */
  overloadShedTransactions: number;
  overloadShedLag: number;
  overloadShedRate: number;
  overloadShedBusy: number;
}

export const newStackStats = (): StackStats => ({
  requestsReceived: 0,
  responsesReceived: 0,
  statelessRejections: 0,
  dropped: 0,
  retransmissionsAbsorbed: 0,
  mergedRequests: 0,
  unmatchedCancels: 0,
  transportErrors: 0,
  overload: 0,
  overloadShed: 0,
  overloadShedTransactions: 0,
  overloadShedLag: 0,
  overloadShedRate: 0,
  overloadShedBusy: 0,
});

/** The StackStats field counting each shed reason. */
export const SHED_STAT = {
  transactions: 'overloadShedTransactions',
  lag: 'overloadShedLag',
  rate: 'overloadShedRate',
  busy: 'overloadShedBusy',
} as const satisfies Record<ShedReason, keyof StackStats>;

/** Early 503s so far by reason. */
export function shedCounts(stats: Readonly<StackStats>): Record<ShedReason, number> {
  return {
    transactions: stats[SHED_STAT.transactions],
    lag: stats[SHED_STAT.lag],
    rate: stats[SHED_STAT.rate],
    busy: stats[SHED_STAT.busy],
  };
}
