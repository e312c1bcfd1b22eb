/**
 * Events and effects shared by the four RFC 3261 §17 transaction state machines. Machines are pure
 * functions `transition(state, event, timers) → { state, effects }`; effects are plain data that a
 * driver (client-runner.ts, server-runner.ts) carries out against a clock and the transport.
 *
 * Conventions every machine follows, so that transition tables read the same way:
 * - effects are ordered: cancel-timer, then wire (send-*), then TU reports, then start-timer, then
 *   terminated;
 * - `terminated` is emitted once, on entering Terminated; the driver then cancels any timer still
 *   running, so machines do not list those cancellations;
 * - an event a state has no transition for is absorbed: same state, no effects.
 */
import type { TimerConfig, TimerName } from './timers';

/** Starting or stopping one of the machine's timers. N is the machine's own subset of names. */
export type TimerEffect<N extends TimerName> =
  | { readonly kind: 'start-timer'; readonly name: N; readonly ms: number }
  | { readonly kind: 'cancel-timer'; readonly name: N };

/** How a transaction ends or fails, reported to the TU. */
export type OutcomeEffect =
  /** Transaction timeout: a client TU treats it as 408 (§8.1.3.1); a server TU as a failure (H). */
  | { readonly kind: 'timeout' }
  /** Fatal transport error: a client TU treats it as 503 (§8.1.3.1, §17.1.4); a server TU as failure. */
  | { readonly kind: 'transport-error' }
  /** The transaction is over and must be destroyed at once (RFC 6026 §7). */
  | { readonly kind: 'terminated' };

export type ClientEffect<N extends TimerName> =
  | TimerEffect<N>
  | OutcomeEffect
  /** (Re)transmit the request. */
  | { readonly kind: 'send-request' }
  /** (Re)transmit the ACK for the non-2xx final response just received (§17.1.1.3). */
  | { readonly kind: 'send-ack' }
  /** Pass the response just received to the TU. */
  | { readonly kind: 'pass-to-tu'; readonly status: number };

/**
 * Which response a server transaction sends: `tu` the one the TU has just passed down (it becomes
 * the last one), `tu-unkept` the same but not kept (nothing in the next state resends it, e.g. a
 * 2xx entering Accepted), `last` a retransmission of the last one sent, `trying` a 100 (Trying)
 * built by the transaction itself (§17.2.1; it becomes the last one).
 */
export type ResponseChoice = 'tu' | 'tu-unkept' | 'last' | 'trying';

export type ServerEffect<N extends TimerName> =
  | TimerEffect<N>
  | OutcomeEffect
  | { readonly kind: 'send-response'; readonly which: ResponseChoice }
  /** RFC 6026 §7.1: an ACK received in Accepted goes to the TU instead of being absorbed. */
  | { readonly kind: 'pass-ack-to-tu' };

export type ClientEvent<N extends TimerName> =
  /** The TU hands the request to a new transaction. */
  | { readonly kind: 'start' }
  | { readonly kind: 'response'; readonly status: number }
  | { readonly kind: 'timer'; readonly name: N }
  | { readonly kind: 'transport-error' }
  /**
   * The TU gives the transaction up: an INVITE it CANCELled got no final response within 64·T1
   * (RFC 3261 §9.1, last paragraph). Only INVITE transactions in Calling/Proceeding act on it.
   */
  | { readonly kind: 'abandon' };

export type ServerEvent<N extends TimerName> =
  /** A request that created this transaction arrived (and has been passed to the TU). */
  | { readonly kind: 'start' }
  | { readonly kind: 'request-retransmission' }
  /** An ACK matching this (INVITE) transaction (§17.2.3). */
  | { readonly kind: 'ack' }
  | { readonly kind: 'tu-response'; readonly status: number }
  | { readonly kind: 'timer'; readonly name: N }
  | { readonly kind: 'transport-error' };

export interface Step<S, F> {
  readonly state: S;
  readonly effects: readonly F[];
}

/** A pure transition function of one of the four machines. */
export type Transition<S, E, F> = (state: S, event: E, timers: TimerConfig) => Step<S, F>;

export type StatusClass = 'provisional' | 'success' | 'failure' | 'invalid';

/** 1xx provisional, 2xx success, 3xx-6xx failure (final non-2xx); anything else is not a status. */
export function statusClass(status: number): StatusClass {
  if (!Number.isInteger(status) || status < 100 || status > 699) return 'invalid';
  if (status < 200) return 'provisional';
  if (status < 300) return 'success';
  return 'failure';
}

/** Convenience for "nothing happens". */
export const stay = <S, F>(state: S): Step<S, F> => ({ state, effects: [] });
