/**
 * Drives one client transaction (INVITE, RFC 3261 §17.1.1, or non-INVITE, §17.1.2): holds the
 * machine's state, feeds it events, and carries out the effects against the injected Clock and a
 * TransactionIO. Messages are opaque here (M): the transport layer owns their representation.
 */
import type { Clock } from '../../util/clock';
import { requireMessage } from './errors';
import { EventQueue } from './event-queue';
import {
  inviteClientInitial,
  inviteClientTransition,
  type InviteClientState,
  type InviteClientTimer,
} from './invite-client';
import {
  nonInviteClientInitial,
  nonInviteClientTransition,
  type NonInviteClientState,
  type NonInviteClientTimer,
} from './non-invite-client';
import { TimerSet } from './timer-set';
import type { TimerConfig, TimerName } from './timers';
import type { ClientEffect, ClientEvent, Transition } from './types';

/** What a client transaction needs from the transport and its TU. Methods must not throw. */
export interface ClientTransactionIO<M = Buffer> {
  /** (Re)transmit the request. Report a failure later through `transportError()`. */
  sendRequest(): void;
  /** (Re)transmit the ACK for this non-2xx final response (§17.1.1.3: built from the request). */
  sendAck(response: M): void;
  passToTu(status: number, response: M): void;
  /** Transaction timeout: the TU acts as if a 408 was received (§8.1.3.1). */
  timeout(): void;
  /** Transport failure: the TU acts as if a 503 was received (§8.1.3.1). */
  transportError(): void;
  /** The transaction is over; remove it from the transaction table. */
  terminated(): void;
}

type Item<N extends TimerName, M> = { event: ClientEvent<N>; message?: M };

export class ClientTransactionRunner<
  S extends { readonly name: string },
  N extends TimerName,
  M = Buffer,
> extends EventQueue<Item<N, M>> {
  private current: S;
  private readonly timerSet: TimerSet<N>;

  constructor(
    private readonly machine: Transition<S, ClientEvent<N>, ClientEffect<N>>,
    initial: S,
    private readonly io: ClientTransactionIO<M>,
    clock: Clock,
    private readonly timers: TimerConfig,
  ) {
    super();
    this.current = initial;
    this.timerSet = new TimerSet<N>(clock, this);
  }

  /** @internal one of this transaction's timers fired (timer-set.ts) */
  onTimer(name: N): void {
    this.push({ event: { kind: 'timer', name } });
  }

  get state(): S {
    return this.current;
  }

  /** Names of the timers running now (diagnostics, tests). */
  runningTimers(): N[] {
    return this.timerSet.names();
  }

  /** Send the request: the TU has handed it to this transaction. */
  start(): void {
    this.push({ event: { kind: 'start' } });
  }

  /** A response matched to this transaction (§17.1.3). */
  receiveResponse(status: number, response: M): void {
    this.push({ event: { kind: 'response', status }, message: response });
  }

  /** The TU gives up an INVITE whose CANCEL got no final response within 64·T1 (§9.1). */
  abandon(): void {
    this.push({ event: { kind: 'abandon' } });
  }

  /** The transport failed to deliver something this transaction sent (§17.1.4). */
  transportError(): void {
    this.push({ event: { kind: 'transport-error' } });
  }

  protected handle(item: Item<N, M>): void {
    const step = this.machine(this.current, item.event, this.timers);
    this.current = step.state;
    for (const effect of step.effects) this.perform(effect, item.message);
  }

  private perform(effect: ClientEffect<N>, message: M | undefined): void {
    switch (effect.kind) {
      case 'start-timer':
        this.timerSet.start(effect.name, effect.ms);
        return;
      case 'cancel-timer':
        this.timerSet.cancel(effect.name);
        return;
      case 'send-request':
        this.io.sendRequest();
        return;
      case 'send-ack':
        this.io.sendAck(requireMessage(message, effect.kind));
        return;
      case 'pass-to-tu':
        this.io.passToTu(effect.status, requireMessage(message, effect.kind));
        return;
      case 'timeout':
        this.io.timeout();
        return;
      case 'transport-error':
        this.io.transportError();
        return;
      case 'terminated':
        this.timerSet.cancelAll();
        this.io.terminated();
        return;
    }
  }
}

export type InviteClientRunner<M = Buffer> = ClientTransactionRunner<InviteClientState, InviteClientTimer, M>;
export type NonInviteClientRunner<M = Buffer> = ClientTransactionRunner<
  NonInviteClientState,
  NonInviteClientTimer,
  M
>;

/** A new INVITE client transaction (call start() to send the INVITE). */
export function createInviteClient<M = Buffer>(
  io: ClientTransactionIO<M>,
  clock: Clock,
  timers: TimerConfig,
): InviteClientRunner<M> {
  return new ClientTransactionRunner(inviteClientTransition, inviteClientInitial, io, clock, timers);
}

/** A new non-INVITE client transaction (call start() to send the request). */
export function createNonInviteClient<M = Buffer>(
  io: ClientTransactionIO<M>,
  clock: Clock,
  timers: TimerConfig,
): NonInviteClientRunner<M> {
  return new ClientTransactionRunner(nonInviteClientTransition, nonInviteClientInitial, io, clock, timers);
}
