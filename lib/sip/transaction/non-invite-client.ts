/**
 * Non-INVITE client transaction: RFC 3261 §17.1.2.2 (Figure 6).
 *
 *   Idle --start / send request, E=T1 (unreliable), F=64*T1--> Trying
 *   Trying     --Timer E / resend, E=min(2*E, T2)-----------------------------> Trying
 *   Proceeding --Timer E / resend, E=T2---------------------------------------> Proceeding
 *   Trying, Proceeding --1xx / to TU------------------------------------------> Proceeding
 *   Trying, Proceeding --200-699 / to TU, stop E, F, K=T4 (0 reliable)---------> Completed
 *   Trying, Proceeding --Timer F / timeout to TU (408, §8.1.3.1)---------------> Terminated
 *   Trying, Proceeding --transport error / inform TU (503)---------------------> Terminated
 *   Completed  --any response: absorbed (retransmissions of the final)--------> Completed
 *   Completed  --Timer K-------------------------------------------------------> Terminated
 */
import { statusClass, stay, type ClientEffect, type ClientEvent, type Step } from './types';
import { backoff, timerT4Wait, transactionTimeout, type TimerConfig } from './timers';

export type NonInviteClientTimer = 'E' | 'F' | 'K';
export type NonInviteClientEvent = ClientEvent<NonInviteClientTimer>;
export type NonInviteClientEffect = ClientEffect<NonInviteClientTimer>;

export type NonInviteClientState =
  | { readonly name: 'idle' }
  /** timerE: the interval Timer E is currently running with (unused on reliable transports). */
  | { readonly name: 'trying'; readonly timerE: number }
  | { readonly name: 'proceeding' }
  | { readonly name: 'completed' }
  | { readonly name: 'terminated' };

type Result = Step<NonInviteClientState, NonInviteClientEffect>;
type Active = Extract<NonInviteClientState, { name: 'trying' | 'proceeding' }>;

export const nonInviteClientInitial: NonInviteClientState = { name: 'idle' };

const TERMINATED: NonInviteClientState = { name: 'terminated' };

export function nonInviteClientTransition(
  state: NonInviteClientState,
  event: NonInviteClientEvent,
  timers: TimerConfig,
): Result {
  switch (state.name) {
    case 'idle':
      return event.kind === 'start' ? start(timers) : stay(state);
    case 'trying':
    case 'proceeding':
      return active(state, event, timers);
    case 'completed':
      return event.kind === 'timer' && event.name === 'K'
        ? { state: TERMINATED, effects: [{ kind: 'terminated' }] }
        : stay(state);
    case 'terminated':
      return stay(state);
  }
}

function start(timers: TimerConfig): Result {
  const effects: NonInviteClientEffect[] = [{ kind: 'send-request' }];
  if (!timers.reliable) effects.push({ kind: 'start-timer', name: 'E', ms: timers.t1 });
  effects.push({ kind: 'start-timer', name: 'F', ms: transactionTimeout(timers) });
  return { state: { name: 'trying', timerE: timers.t1 }, effects };
}

function active(state: Active, event: NonInviteClientEvent, timers: TimerConfig): Result {
  switch (event.kind) {
    case 'start':
      return stay(state);
    case 'timer':
      if (event.name === 'E' && !timers.reliable) return retransmit(state, timers);
      if (event.name === 'F')
        return { state: TERMINATED, effects: [{ kind: 'timeout' }, { kind: 'terminated' }] };
      return stay(state);
    case 'transport-error':
      return { state: TERMINATED, effects: [{ kind: 'transport-error' }, { kind: 'terminated' }] };
    case 'response':
      return onResponse(state, event.status, timers);
    case 'abandon':
      return stay(state); // §9.1 concerns INVITE only; Timer F ends a non-INVITE
  }
}

/** Timer E: back off towards T2 in Trying; in Proceeding always T2 (§17.1.2.2). */
function retransmit(state: Active, timers: TimerConfig): Result {
  const next = state.name === 'trying' ? backoff(timers, state.timerE) : timers.t2;
  return {
    state: state.name === 'trying' ? { name: 'trying', timerE: next } : state,
    effects: [{ kind: 'send-request' }, { kind: 'start-timer', name: 'E', ms: next }],
  };
}

function onResponse(state: Active, status: number, timers: TimerConfig): Result {
  const toTu: NonInviteClientEffect = { kind: 'pass-to-tu', status };
  switch (statusClass(status)) {
    case 'provisional':
      return { state: { name: 'proceeding' }, effects: [toTu] };
    case 'success':
    case 'failure': {
      const stop: NonInviteClientEffect[] = timers.reliable ? [] : [{ kind: 'cancel-timer', name: 'E' }];
      stop.push({ kind: 'cancel-timer', name: 'F' }, toTu);
      const k = timerT4Wait(timers);
      return k === 0
        ? { state: TERMINATED, effects: [...stop, { kind: 'terminated' }] }
        : { state: { name: 'completed' }, effects: [...stop, { kind: 'start-timer', name: 'K', ms: k }] };
    }
    case 'invalid':
      return stay(state);
  }
}
