/**
 * Non-INVITE server transaction: RFC 3261 §17.2.2 (Figure 8).
 *
 *   Idle --request (start), passed to the TU by the core--------------------------> Trying
 *   Trying     --request retransmission: discarded------------------------------> Trying
 *   Trying, Proceeding --1xx from TU / send-------------------------------------> Proceeding
 *   Trying, Proceeding --200-699 from TU / send, J=64*T1 (0 reliable)-----------> Completed
 *   Proceeding --request retransmission / resend last provisional--------------> Proceeding
 *   Proceeding --transport error / inform TU-----------------------------------> Terminated
 *   Completed  --request retransmission / resend the final---------------------> Completed
 *   Completed  --any response from TU: discarded-------------------------------> Completed
 *   Completed  --transport error / inform TU-----------------------------------> Terminated
 *   Completed  --Timer J-------------------------------------------------------> Terminated
 * This machine starts no timer of its own before the final response: the TU must answer (RFC 4320
 * advice on 100 Trying for non-INVITE belongs to the TU).
 */
import { statusClass, stay, type ServerEffect, type ServerEvent, type Step } from './types';
import { timerJ, type TimerConfig } from './timers';

export type NonInviteServerTimer = 'J';
export type NonInviteServerEvent = ServerEvent<NonInviteServerTimer>;
export type NonInviteServerEffect = ServerEffect<NonInviteServerTimer>;

export type NonInviteServerState =
  | { readonly name: 'idle' }
  | { readonly name: 'trying' }
  | { readonly name: 'proceeding' }
  | { readonly name: 'completed' }
  | { readonly name: 'terminated' };

type Result = Step<NonInviteServerState, NonInviteServerEffect>;

export const nonInviteServerInitial: NonInviteServerState = { name: 'idle' };

const TERMINATED: NonInviteServerState = { name: 'terminated' };
const RESEND: NonInviteServerEffect = { kind: 'send-response', which: 'last' };
const FAILED: Result = { state: TERMINATED, effects: [{ kind: 'transport-error' }, { kind: 'terminated' }] };

export function nonInviteServerTransition(
  state: NonInviteServerState,
  event: NonInviteServerEvent,
  timers: TimerConfig,
): Result {
  switch (state.name) {
    case 'idle':
      return event.kind === 'start' ? { state: { name: 'trying' }, effects: [] } : stay(state);
    case 'trying':
      return event.kind === 'tu-response' ? respond(state, event.status, timers) : stay(state);
    case 'proceeding':
      if (event.kind === 'tu-response') return respond(state, event.status, timers);
      if (event.kind === 'request-retransmission') return { state, effects: [RESEND] };
      return event.kind === 'transport-error' ? FAILED : stay(state);
    case 'completed':
      return completed(state, event);
    case 'terminated':
      return stay(state);
  }
}

function respond(state: NonInviteServerState, status: number, timers: TimerConfig): Result {
  const send: NonInviteServerEffect = { kind: 'send-response', which: 'tu' };
  switch (statusClass(status)) {
    case 'provisional':
      return { state: { name: 'proceeding' }, effects: [send] };
    case 'success':
    case 'failure': {
      const j = timerJ(timers);
      return j === 0
        ? { state: TERMINATED, effects: [send, { kind: 'terminated' }] }
        : { state: { name: 'completed' }, effects: [send, { kind: 'start-timer', name: 'J', ms: j }] };
    }
    case 'invalid':
      return stay(state);
  }
}

function completed(state: NonInviteServerState, event: NonInviteServerEvent): Result {
  switch (event.kind) {
    case 'request-retransmission':
      return { state, effects: [RESEND] };
    case 'transport-error':
      return FAILED;
    case 'timer':
      return { state: TERMINATED, effects: [{ kind: 'terminated' }] };
    case 'start':
    case 'ack':
    case 'tu-response':
      return stay(state);
  }
}
