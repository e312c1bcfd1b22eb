/**
 * A server transaction as the TU sees it: the request, where it came from, and `respond()`.
 * Wraps the RFC 3261 §17.2 machine runner (INVITE with RFC 6026 Accepted state, or non-INVITE)
 * and carries out its effects against the transport.
 */
import type { Clock } from '../../util/clock';
import type { SipRequest, SipResponse } from '../request';
import { responseTo } from '../stateless-response';
import { parseOwn } from '../build';
import {
  createInviteServer,
  createNonInviteServer,
  type InviteServerRunner,
  type NonInviteServerRunner,
  type ServerKey,
  type ServerTransactionIO,
  type TimerConfig,
} from '../transaction';
import type { Flow, SendTarget } from '../transport';
import { responseTarget } from './response-target';

type Message = SipRequest | SipResponse;

export interface ServerTransactionHost {
  clock: Clock;
  timers(reliable: boolean): TimerConfig;
  send(target: SendTarget, buf: Buffer): Promise<unknown>;
  onAckInAccepted(ack: SipRequest, flow: Flow): void;
  onTerminated(txn: ServerTransaction): void;
}

export type ServerTxnEvent = 'timeout' | 'transport-error' | 'terminated';

export class ServerTransaction {
  private readonly runner: InviteServerRunner<Message> | NonInviteServerRunner<Message>;
  private readonly target: SendTarget;
  private lastAckFlow: Flow;
  private finalStatus: number | undefined;
  private readonly listeners: ((e: ServerTxnEvent) => void)[] = [];
  /** The To tag of our responses (RFC 2543 ACK matching, dialog creation). */
  localTag: string | undefined;
  /** Free slot for the TU (e.g. the engine's app-facing transaction id). */
  tuData: unknown;

  constructor(
    readonly request: SipRequest,
    readonly flow: Flow,
    readonly key: ServerKey,
    private readonly host: ServerTransactionHost,
  ) {
    this.target = responseTarget(flow, request.via()[0]);
    this.lastAckFlow = flow;
    const io: ServerTransactionIO<Message> = {
      sendResponse: (m) => {
        this.host.send(this.target, m.toBuffer()).catch(() => {
          this.runner.transportError();
        });
      },
      createTrying: () => parseOwn(responseTo(request, 100)),
      passAckToTu: (ack) => {
        if (ack.kind === 'request') host.onAckInAccepted(ack, this.lastAckFlow);
      },
      timeout: () => {
        this.emit('timeout');
      },
      transportError: () => {
        this.emit('transport-error');
      },
      terminated: () => {
        this.emit('terminated');
        host.onTerminated(this);
      },
    };
    const reliable = flow.transport !== 'udp';
    this.runner =
      request.method === 'INVITE'
        ? createInviteServer<Message>(io, host.clock, host.timers(reliable))
        : createNonInviteServer<Message>(io, host.clock, host.timers(reliable));
  }

  get method(): string {
    return this.request.method;
  }

  get state(): string {
    return this.runner.state.name;
  }

  /** Final status sent so far (undefined while none). */
  get finalResponseStatus(): number | undefined {
    return this.finalStatus;
  }

  on(listener: (e: ServerTxnEvent) => void): void {
    this.listeners.push(listener);
  }

  /** Hand a response to the transaction; it is sent (and retransmitted as the RFC requires). */
  respond(response: SipResponse): void {
    if (response.status >= 200) this.finalStatus ??= response.status;
    if (response.status > 100 && this.localTag === undefined) this.localTag = response.to().tag;
    this.runner.respond(response.status, response);
  }

  /** Convenience: a response built from the request (§8.2.6), e.g. 481 or 487. */
  respondWith(status: number, headers: readonly (readonly [string, string])[] = []): void {
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
    for (const l of this.listeners) l(e);
  }
}
