/**
 * A server transaction as the TU sees it: the request, where it came from, and `respond()`.
 * Wraps the RFC 3261 §17.2 machine runner (INVITE with RFC 6026 Accepted state, or non-INVITE)
 * and carries out its effects against the transport.
 *
 * Memory: the runner keeps the wire bytes of the last response (as a one-byte string,
 * owned-copy.ts), not a parsed SipResponse; once a final response has been sent and the current
 * turn of the event loop is over, the parsed request is released too — a transaction lingering
 * in its wait timer (J/L/G-H/I, up to 64·T1) keeps only its keys, target and those bytes.
 */
import type { Clock } from '../../util/clock';
import type { SipRequest, SipResponse } from '../request';
import { responseTo } from '../stateless-response';
import { parseOwn } from '../build';
import {
  createInviteServer,
  createNonInviteServer,
  type InviteServerRunner,
  type MergeKey,
  type NonInviteServerRunner,
  type ServerKey,
  type ServerTransactionIO,
  type TimerConfig,
} from '../transaction';
import type { Flow, SendTarget } from '../transport';
import { responseTarget } from './response-target';
import { keepWire, wireBuffer, type KeptWire } from '../owned-copy';
import { EMPTY_LIST, appended } from '../../util/short-list';

/** Responses travel as kept wire bytes, ACKs (RFC 6026 Accepted) as parsed requests. */
type Message = KeptWire | SipRequest;

export interface ServerTransactionHost {
  clock: Clock;
  timers(reliable: boolean): TimerConfig;
  send(target: SendTarget, buf: Buffer): Promise<unknown>;
  onAckInAccepted(ack: SipRequest, flow: Flow): void;
  onTerminated(txn: ServerTransaction): void;
}

export type ServerTxnEvent = 'timeout' | 'transport-error' | 'terminated';

export class ServerTransaction implements ServerTransactionIO<Message> {
  private readonly runner: InviteServerRunner<Message> | NonInviteServerRunner<Message>;
  private readonly target: SendTarget;
  private lastAckFlow: Flow;
  private finalStatus: number | undefined;
  private listeners: readonly ((e: ServerTxnEvent) => void)[] = EMPTY_LIST;
  private req: SipRequest | undefined;
  readonly method: string;
  /** To tag of the request (RFC 2543 ACK/retransmission matching, kept after release). */
  readonly requestToTag: string | undefined;
  /** The To tag of our responses (RFC 2543 ACK matching, dialog creation). */
  localTag: string | undefined;
  /** Free slot for the TU (e.g. the engine's app-facing transaction id). */
  tuData: unknown;
  /** §8.2.2.2 merged-request key this transaction holds in the stack, if any (server-requests.ts). */
  mergeKey: MergeKey | undefined;

  constructor(
    request: SipRequest,
    readonly flow: Flow,
    readonly key: ServerKey,
    private readonly host: ServerTransactionHost,
  ) {
    this.req = request;
    this.method = request.method;
    this.requestToTag = request.to().tag;
    this.target = responseTarget(flow, request.via()[0]);
    this.lastAckFlow = flow;
    const reliable = flow.transport !== 'udp';
    this.runner =
      request.method === 'INVITE'
        ? createInviteServer<Message>(this, host.clock, host.timers(reliable))
        : createNonInviteServer<Message>(this, host.clock, host.timers(reliable));
  }

  // ServerTransactionIO: called by the runner only. Methods rather than closures, so a lingering
  // transaction costs no closure per callback.
  /** @internal */
  sendResponse(m: Message): void {
    if (typeof m !== 'string') return;
    this.host.send(this.target, wireBuffer(m)).catch(() => {
      this.runner.transportError();
    });
  }
  /** @internal */
  createTrying(): Message {
    return keepWire(responseTo(this.request, 100));
  }
  /** @internal */
  passAckToTu(ack: Message): void {
    if (typeof ack !== 'string') this.host.onAckInAccepted(ack, this.lastAckFlow);
  }
  /** @internal */
  timeout(): void {
    this.emit('timeout');
  }
  /** @internal */
  transportError(): void {
    this.emit('transport-error');
  }
  /** @internal */
  terminated(): void {
    this.emit('terminated');
    this.host.onTerminated(this);
  }

  /**
   * The request that created the transaction. Released (this throws) once a final response has
   * been sent and the event-loop turn that sent it is over; use `method`/`requestToTag` then.
   */
  get request(): SipRequest {
    if (this.req === undefined) throw new Error(`${this.method} request released after its final response`);
    return this.req;
  }

  /** Whether `request` is still available. */
  get hasRequest(): boolean {
    return this.req !== undefined;
  }

  get state(): string {
    return this.runner.state.name;
  }

  /** Final status sent so far (undefined while none). */
  get finalResponseStatus(): number | undefined {
    return this.finalStatus;
  }

  on(listener: (e: ServerTxnEvent) => void): void {
    this.listeners = appended(this.listeners, listener);
  }

  /** Hand a response to the transaction; it is sent (and retransmitted as the RFC requires). */
  respond(response: SipResponse): void {
    if (response.status >= 200 && this.finalStatus === undefined) {
      this.finalStatus = response.status;
      queueMicrotask(() => {
        this.req = undefined;
      });
    }
    if (response.status > 100 && this.localTag === undefined) this.localTag = response.to().tag;
    this.runner.respond(response.status, keepWire(response.toBuffer()));
  }

  /**
   * Convenience: a response built from the request (§8.2.6), e.g. 481 or 487. Ignored once the
   * request is released (a final response went out; the machine would discard it anyway).
   */
  respondWith(status: number, headers: readonly (readonly [string, string])[] = []): void {
    if (this.req === undefined) return;
    const built = parseOwn(
      responseTo(this.request, status, { headers, ...(this.localTag ? { toTag: this.localTag } : {}) }),
    );
    if (built.kind === 'response') this.respond(built);
  }

  /** @internal the stack feeds these in. */
  start(): void {
    this.runner.start();
  }
  retransmission(): void {
    this.runner.receiveRetransmission();
  }
  ack(ack: SipRequest, flow: Flow): void {
    this.lastAckFlow = flow;
    this.runner.receiveAck(ack);
  }

  private emit(e: ServerTxnEvent): void {
    if (e === 'terminated') this.req = undefined;
    for (const l of this.listeners) l(e);
  }
}
