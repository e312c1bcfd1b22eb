/**
 * A client transaction as the TU sees it: the request as sent, the flow it left on, and
 * callbacks for responses, timeout (→ 408, §8.1.3.1) and transport failure (→ 503). Wraps the
 * RFC 3261 §17.1 machine runner (INVITE with RFC 6026 Accepted state, or non-INVITE).
 */
import type { Clock } from '../../util/clock';
import type { SipRequest, SipResponse } from '../request';
import {
  createInviteClient,
  createNonInviteClient,
  type ClientKey,
  type ClientTransactionIO,
  type InviteClientRunner,
  type NonInviteClientRunner,
  type TimerConfig,
} from '../transaction';
import { sendTargetWith, type Flow, type SendTarget } from '../transport';
import { ackForFailure } from './derived-requests';

export interface ClientHandlers {
  onResponse(response: SipResponse, flow: Flow): void;
  /** No final response in time: act as on 408 (§8.1.3.1). */
  onTimeout(): void;
  /** The request could not be delivered: act as on 503 (§8.1.3.1). */
  onTransportError(error: Error): void;
}

export interface ClientTransactionHost {
  clock: Clock;
  timers(reliable: boolean): TimerConfig;
  send(target: SendTarget, buf: Buffer): Promise<Flow>;
  onTerminated(txn: ClientTransaction): void;
}

export class ClientTransaction implements ClientTransactionIO<SipResponse> {
  private readonly runner: InviteClientRunner<SipResponse> | NonInviteClientRunner<SipResponse>;
  /** The request's wire bytes while it may still be retransmitted (Timer A/E), then released. */
  private bytes: Buffer | undefined;
  private lastFlow: Flow | undefined;
  private lastError: Error | undefined;
  private target: SendTarget;
  /** §9.1: a CANCEL waits for the first provisional response; dropped once a final one came. */
  private provisionalSeen = false;
  private finalSeen = false;
  private afterProvisional: (() => void)[] | undefined;

  constructor(
    /** The request exactly as sent (with our Via on top). */
    readonly request: SipRequest,
    target: SendTarget,
    readonly key: ClientKey,
    private readonly handlers: ClientHandlers,
    private readonly host: ClientTransactionHost,
  ) {
    this.target = target;
    this.bytes = request.toBuffer();
    const reliable = target.transport !== 'udp';
    this.runner =
      request.method === 'INVITE'
        ? createInviteClient<SipResponse>(this, host.clock, host.timers(reliable))
        : createNonInviteClient<SipResponse>(this, host.clock, host.timers(reliable));
  }

  // ClientTransactionIO: called by the runner only. Methods rather than closures, so a lingering
  // transaction costs no closure per callback.
  /** @internal */
  sendRequest(): void {
    this.transmit(this.bytes ?? this.request.toBuffer());
  }
  /** @internal */
  sendAck(response: SipResponse): void {
    this.transmit(ackForFailure(this.request, response).toBuffer());
  }
  /** @internal */
  passToTu(_status: number, response: SipResponse): void {
    this.handlers.onResponse(response, this.lastFlow ?? this.fallbackFlow());
  }
  /** @internal */
  timeout(): void {
    this.handlers.onTimeout();
  }
  /** @internal */
  transportError(): void {
    this.handlers.onTransportError(this.lastError ?? new Error('transport error'));
  }
  /** @internal */
  terminated(): void {
    this.host.onTerminated(this);
  }

  get method(): string {
    return this.request.method;
  }

  get state(): string {
    return this.runner.state.name;
  }

  /** Where the request went (the connection to reuse for ACK/CANCEL, once known). */
  get flow(): Flow | undefined {
    return this.lastFlow;
  }

  /** The target for requests that must follow this one (CANCEL, ACK for 2xx on the same flow). */
  get sendTarget(): SendTarget {
    return this.target;
  }

  /** @internal fed by the stack. */
  start(): void {
    this.runner.start();
  }
  response(response: SipResponse, flow: Flow): void {
    this.lastFlow = flow;
    if (response.status < 200) {
      this.provisionalSeen = true;
      const waiting = this.afterProvisional;
      this.afterProvisional = undefined;
      for (const run of waiting ?? []) run();
    } else {
      this.finalSeen = true;
      this.afterProvisional = undefined;
    }
    this.runner.receiveResponse(response.status, response);
    // Memory (the transaction lingers up to 64·T1, RFC 6026 Timer M / §17.1.1.2 Timer D): no
    // more retransmissions once an INVITE has any response or any request a final one (§17.1),
    // so drop the wire bytes; the request stays (CANCEL, ACK, forks) in bytes of its own.
    if (response.status >= 200 || this.request.method === 'INVITE') this.bytes = undefined;
    if (response.status >= 200) this.request.compact();
  }

  /**
   * Give up an INVITE that has no final response although it was CANCELled 64·T1 ago (RFC 3261
   * §9.1): the transaction ends without a report; the TU answers its own user (e.g. 408).
   */
  abandon(): void {
    this.runner.abandon();
  }

  /**
   * Run `action` once a provisional response has arrived (now, if one has); never if a final
   * response comes first. RFC 3261 §9.1: no CANCEL before a provisional response, none after a final.
   */
  whenProvisional(action: () => void): void {
    if (this.finalSeen) return;
    if (this.provisionalSeen) action();
    else (this.afterProvisional ??= []).push(action);
  }

  private transmit(buf: Buffer): void {
    this.host.send(this.target, buf).then(
      (flow) => {
        this.lastFlow = flow;
        if (flow.connectionId !== undefined)
          this.target = sendTargetWith(this.target, { connectionId: flow.connectionId });
      },
      (e: unknown) => {
        this.lastError = e instanceof Error ? e : new Error(String(e));
        this.runner.transportError();
      },
    );
  }

  private fallbackFlow(): Flow {
    return {
      transport: this.target.transport,
      localAddress: '',
      localPort: 0,
      remoteAddress: this.target.address,
      remotePort: this.target.port,
      connectionId: this.target.connectionId,
      listenerId: this.target.listenerId ?? '',
    };
  }
}
