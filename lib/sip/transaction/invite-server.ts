/**
 * INVITE server transaction: RFC 3261 §17.2.1 (Figure 7) as corrected by RFC 6026 §7.1 (Figure 7
 * there) and §8.5-§8.7.
 *
 *   Idle --INVITE (start) / 100 Trying now, or Trying100 timer (200 ms), or nothing--> Proceeding
 *   Proceeding --Trying100 fires, TU silent / send 100 (Trying)------------------------> Proceeding
 *   Proceeding --INVITE retransmission / resend last response (if any)----------------> Proceeding
 *   Proceeding --101-199 from TU / send-------------------------------------------------> Proceeding
 *   Proceeding --transport error / inform TU (RFC 6026 keeps the state)----------------> Proceeding
 *   Proceeding --2xx from TU / send (not kept), L=64*T1---------------------------------> Accepted
 *   Proceeding --300-699 from TU / send, G=T1 (unreliable), H=64*T1--------------------> Completed
 *   Accepted   --INVITE retransmission: absorbed (the TU/core retransmits the 2xx)------> Accepted
 *   Accepted   --2xx from TU / send, not kept (TU's own 2xx retransmissions)-----------> Accepted
 *   Accepted   --ACK / pass to TU (RFC 6026 §7.1, also for RFC 2543 ACKs, §6)----------> Accepted
 *   Accepted   --transport error / inform TU------------------------------------------> Accepted
 *   Accepted   --Timer L-----------------------------------------------------------------> Terminated
 *   Completed  --INVITE retransmission / resend-------------------------------------------> Completed
 *   Completed  --Timer G / resend, G=min(2*G, T2)----------------------------------------> Completed
 *   Completed  --transport error / inform TU (RFC 6026 Figure 7 keeps the state)----------> Completed
 *   Completed  --Timer H / report failure to TU (§17.2.1 text)----------------------------> Terminated
 *   Completed  --ACK / stop G, H, I=T4 (0 reliable)--------------------------------------> Confirmed
 *   Confirmed  --ACK or INVITE retransmission: absorbed-----------------------------------> Confirmed
 *   Confirmed  --Timer I------------------------------------------------------------------> Terminated
 * Responses the TU passes in Completed or Confirmed, and non-2xx ones in Accepted, are discarded.
 * Nothing in Accepted resends a response, so the 2xx is not kept for the 64·T1 the state lasts.
 */
import { statusClass, stay, type ServerEffect, type ServerEvent, type Step } from './types';
import { backoff, timerT4Wait, transactionTimeout, type TimerConfig } from './timers';

export type InviteServerTimer = 'Trying100' | 'G' | 'H' | 'I' | 'L';
export type InviteServerEvent = ServerEvent<InviteServerTimer>;
export type InviteServerEffect = ServerEffect<InviteServerTimer>;

export type InviteServerState =
  | { readonly name: 'idle' }
  /** responded: a response (the TU's or our 100) exists to resend on INVITE retransmission. */
  | { readonly name: 'proceeding'; readonly responded: boolean }
  | { readonly name: 'accepted' }
  /** timerG: the interval Timer G is currently running with (unused on reliable transports). */
  | { readonly name: 'completed'; readonly timerG: number }
  | { readonly name: 'confirmed' }
  | { readonly name: 'terminated' };

type Result = Step<InviteServerState, InviteServerEffect>;
type Proceeding = Extract<InviteServerState, { name: 'proceeding' }>;
type Completed = Extract<InviteServerState, { name: 'completed' }>;

export const inviteServerInitial: InviteServerState = { name: 'idle' };

const TERMINATED: InviteServerState = { name: 'terminated' };
const RESEND: InviteServerEffect = { kind: 'send-response', which: 'last' };
const SEND_TU: InviteServerEffect = { kind: 'send-response', which: 'tu' };
const SEND_TU_UNKEPT: InviteServerEffect = { kind: 'send-response', which: 'tu-unkept' };
const ACCEPTED: InviteServerState = { name: 'accepted' };

export function inviteServerTransition(
  state: InviteServerState,
  event: InviteServerEvent,
  timers: TimerConfig,
): Result {
  switch (state.name) {
    case 'idle':
      return event.kind === 'start' ? start(timers) : stay(state);
    case 'proceeding':
      return proceeding(state, event, timers);
    case 'accepted':
      return accepted(state, event);
    case 'completed':
      return completed(state, event, timers);
    case 'confirmed':
      return event.kind === 'timer' && event.name === 'I'
        ? { state: TERMINATED, effects: [{ kind: 'terminated' }] }
        : stay(state);
    case 'terminated':
      return stay(state);
  }
}

function start(timers: TimerConfig): Result {
  const delay = timers.tryingDelay;
  if (delay === null) return { state: { name: 'proceeding', responded: false }, effects: [] };
  if (delay === 0) {
    return {
      state: { name: 'proceeding', responded: true },
      effects: [{ kind: 'send-response', which: 'trying' }],
    };
  }
  return {
    state: { name: 'proceeding', responded: false },
    effects: [{ kind: 'start-timer', name: 'Trying100', ms: delay }],
  };
}

function proceeding(state: Proceeding, event: InviteServerEvent, timers: TimerConfig): Result {
  switch (event.kind) {
    case 'start':
    case 'ack':
      return stay(state);
    case 'timer':
      return event.name === 'Trying100' && !state.responded
        ? {
            state: { name: 'proceeding', responded: true },
            effects: [{ kind: 'send-response', which: 'trying' }],
          }
        : stay(state);
    case 'request-retransmission':
      return state.responded ? { state, effects: [RESEND] } : stay(state);
    case 'transport-error':
      return { state, effects: [{ kind: 'transport-error' }] };
    case 'tu-response':
      return respond(state, event.status, timers);
  }
}

function respond(state: Proceeding, status: number, timers: TimerConfig): Result {
  const cls = statusClass(status);
  if (cls === 'invalid') return stay(state);
  const trying100Running = !state.responded && timers.tryingDelay !== null && timers.tryingDelay > 0;
  const head: InviteServerEffect[] = trying100Running ? [{ kind: 'cancel-timer', name: 'Trying100' }] : [];
  head.push(cls === 'success' ? SEND_TU_UNKEPT : SEND_TU);
  switch (cls) {
    case 'provisional':
      return { state: { name: 'proceeding', responded: true }, effects: head };
    case 'success':
      return {
        state: ACCEPTED,
        effects: [...head, { kind: 'start-timer', name: 'L', ms: transactionTimeout(timers) }],
      };
    case 'failure':
      if (!timers.reliable) head.push({ kind: 'start-timer', name: 'G', ms: timers.t1 });
      head.push({ kind: 'start-timer', name: 'H', ms: transactionTimeout(timers) });
      return { state: { name: 'completed', timerG: timers.t1 }, effects: head };
  }
}

function accepted(state: InviteServerState, event: InviteServerEvent): Result {
  switch (event.kind) {
    case 'ack':
      return { state, effects: [{ kind: 'pass-ack-to-tu' }] };
    case 'tu-response':
      return statusClass(event.status) === 'success' ? { state, effects: [SEND_TU_UNKEPT] } : stay(state);
    case 'transport-error':
      return { state, effects: [{ kind: 'transport-error' }] };
    case 'timer':
      return event.name === 'L' ? { state: TERMINATED, effects: [{ kind: 'terminated' }] } : stay(state);
    case 'start':
    case 'request-retransmission':
      return stay(state);
  }
}

function completed(state: Completed, event: InviteServerEvent, timers: TimerConfig): Result {
  switch (event.kind) {
    case 'request-retransmission':
      return { state, effects: [RESEND] };
    case 'transport-error':
      return { state, effects: [{ kind: 'transport-error' }] };
    case 'ack':
      return confirm(timers);
    case 'timer':
      if (event.name === 'G' && !timers.reliable) {
        const next = backoff(timers, state.timerG);
        return {
          state: { name: 'completed', timerG: next },
          effects: [RESEND, { kind: 'start-timer', name: 'G', ms: next }],
        };
      }
      if (event.name === 'H')
        return { state: TERMINATED, effects: [{ kind: 'timeout' }, { kind: 'terminated' }] };
      return stay(state);
    case 'start':
    case 'tu-response':
      return stay(state);
  }
}

function confirm(timers: TimerConfig): Result {
  const stop: InviteServerEffect[] = timers.reliable ? [] : [{ kind: 'cancel-timer', name: 'G' }];
  stop.push({ kind: 'cancel-timer', name: 'H' });
  const i = timerT4Wait(timers);
  return i === 0
    ? { state: TERMINATED, effects: [...stop, { kind: 'terminated' }] }
    : { state: { name: 'confirmed' }, effects: [...stop, { kind: 'start-timer', name: 'I', ms: i }] };
}
