/**
 * Drives one server transaction (INVITE, RFC 3261 §17.2.1 + RFC 6026 §7.1, or non-INVITE,
 * §17.2.2): holds the machine's state, feeds it events, keeps the last response sent for
 * retransmission, and carries out the effects against the injected Clock and a TransactionIO.
 * Messages are opaque here (M): the transport layer owns their representation.
 */
import type { Clock } from '../../util/clock';
import { requireMessage } from './errors';
import { EventQueue } from './event-queue';
import {
  inviteServerInitial,
  inviteServerTransition,
  type InviteServerState,
  type InviteServerTimer,
} from './invite-server';
import {
  nonInviteServerInitial,
  nonInviteServerTransition,
  type NonInviteServerState,
  type NonInviteServerTimer,
} from './non-invite-server';
import { TimerSet } from './timer-set';
import type { TimerConfig, TimerName } from './timers';
import type { ResponseChoice, ServerEffect, ServerEvent, Transition } from './types';

/** What a server transaction needs from the transport and its TU. Methods must not throw. */
export interface ServerTransactionIO<M = Buffer> {
  /** (Re)transmit a response. Report a failure later through `transportError()`. */
  sendResponse(response: M): void;
  /** Build the 100 (Trying) for the request (§8.2.6.1); the transaction sends it. */
  createTrying(): M;
  /** RFC 6026 §7.1: an ACK that reached an Accepted INVITE transaction belongs to the TU. */
  passAckToTu(ack: M): void;
  /** Timer H: no ACK arrived for the non-2xx final response (§17.2.1). */
  timeout(): void;
  /** The transport could not deliver a response (§17.2.4). */
  transportError(): void;
  /** The transaction is over; remove it from the transaction table. */
  terminated(): void;
}

type Item<N extends TimerName, M> = { event: ServerEvent<N>; message?: M };

export class ServerTransactionRunner<
  S extends { readonly name: string },
  N extends TimerName,
  M = Buffer,
> extends EventQueue<Item<N, M>> {
  private current: S;
  private last: M | undefined;
  private readonly timerSet: TimerSet<N>;

  constructor(
    private readonly machine: Transition<S, ServerEvent<N>, ServerEffect<N>>,
    initial: S,
    private readonly io: ServerTransactionIO<M>,
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

  /** The last response sent (what a request retransmission is answered with). */
  get lastResponse(): M | undefined {
    return this.last;
  }

  runningTimers(): N[] {
    return this.timerSet.names();
  }

  /** The request that created this transaction has arrived (and gone to the TU). */
  start(): void {
    this.push({ event: { kind: 'start' } });
  }

  /** The TU passes a response down. Responses the state does not allow are discarded. */
  respond(status: number, response: M): void {
    this.push({ event: { kind: 'tu-response', status }, message: response });
  }

  /** A retransmission of the request that created the transaction (§17.2.3). */
  receiveRetransmission(): void {
    this.push({ event: { kind: 'request-retransmission' } });
  }

  /** An ACK matching this INVITE transaction (§17.2.3; RFC 6026 §6 for RFC 2543 peers). */
  receiveAck(ack: M): void {
    this.push({ event: { kind: 'ack' }, message: ack });
  }

  transportError(): void {
    this.push({ event: { kind: 'transport-error' } });
  }

  protected handle(item: Item<N, M>): void {
    const step = this.machine(this.current, item.event, this.timers);
    this.current = step.state;
    for (const effect of step.effects) this.perform(effect, item.message);
  }

  private perform(effect: ServerEffect<N>, message: M | undefined): void {
    switch (effect.kind) {
      case 'start-timer':
        this.timerSet.start(effect.name, effect.ms);
        return;
      case 'cancel-timer':
        this.timerSet.cancel(effect.name);
        return;
      case 'send-response':
        this.send(effect.which, message);
        return;
      case 'pass-ack-to-tu':
        this.io.passAckToTu(requireMessage(message, effect.kind));
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

  private send(which: ResponseChoice, message: M | undefined): void {
    switch (which) {
      case 'tu':
        this.last = requireMessage(message, 'send-response tu');
        break;
      case 'tu-unkept':
        this.last = undefined;
        this.io.sendResponse(requireMessage(message, 'send-response tu-unkept'));
        return;
      case 'trying':
        this.last = this.io.createTrying();
        break;
      case 'last':
        break;
    }
    this.io.sendResponse(requireMessage(this.last, 'send-response last'));
  }
}

export type InviteServerRunner<M = Buffer> = ServerTransactionRunner<InviteServerState, InviteServerTimer, M>;
export type NonInviteServerRunner<M = Buffer> = ServerTransactionRunner<
  NonInviteServerState,
  NonInviteServerTimer,
  M
>;

/** A new INVITE server transaction (call start() once the INVITE has gone to the TU). */
export function createInviteServer<M = Buffer>(
  io: ServerTransactionIO<M>,
  clock: Clock,
  timers: TimerConfig,
): InviteServerRunner<M> {
  return new ServerTransactionRunner(inviteServerTransition, inviteServerInitial, io, clock, timers);
}

/** A new non-INVITE server transaction (call start() once the request has gone to the TU). */
export function createNonInviteServer<M = Buffer>(
  io: ServerTransactionIO<M>,
  clock: Clock,
  timers: TimerConfig,
): NonInviteServerRunner<M> {
  return new ServerTransactionRunner(nonInviteServerTransition, nonInviteServerInitial, io, clock, timers);
}
