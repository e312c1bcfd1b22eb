/**
 * INVITE client transaction: RFC 3261 §17.1.1.2 (Figure 5) as corrected by RFC 6026 §7.2 (Figure 5
 * there) and §8.4.
 *
 *   Idle --start / send INVITE, A=T1 (unreliable), B=64*T1--> Calling
 *   Calling    --Timer A / resend, A=2*A (no T2 cap for INVITE)-----------------> Calling
 *   Calling    --Timer B / timeout to TU (408, §8.1.3.1)-------------------------> Terminated
 *   Calling    --transport error / inform TU (503)-------------------------------> Terminated
 *   Calling    --1xx / to TU (stop A, B: Timer B only applies in Calling)--------> Proceeding
 *   Calling, Proceeding --2xx / to TU, M=64*T1-----------------------------------> Accepted
 *   Calling, Proceeding --300-699 / ACK, to TU, D (32 s; 0 reliable)------------> Completed
 *   Proceeding --1xx / to TU-----------------------------------------------------> Proceeding
 *   Calling, Proceeding --abandon by the TU (CANCEL unanswered for 64*T1, §9.1)----> Terminated
 *   Accepted   --2xx / to TU (no ACK: the TU acknowledges every 2xx, RFC 6026)----> Accepted
 *   Accepted   --Timer M----------------------------------------------------------> Terminated
 *   Completed  --300-699 / resend ACK (not passed to the TU again)---------------> Completed
 *   Completed  --transport error / inform TU--------------------------------------> Terminated
 *   Completed  --Timer D----------------------------------------------------------> Terminated
 */
import { statusClass, stay, type ClientEffect, type ClientEvent, type Step } from './types';
import { timerD, transactionTimeout, type TimerConfig } from './timers';

export type InviteClientTimer = 'A' | 'B' | 'D' | 'M';
export type InviteClientEvent = ClientEvent<InviteClientTimer>;
export type InviteClientEffect = ClientEffect<InviteClientTimer>;

export type InviteClientState =
  | { readonly name: 'idle' }
  /** timerA: the interval Timer A is currently running with (unused on reliable transports). */
  | { readonly name: 'calling'; readonly timerA: number }
  | { readonly name: 'proceeding' }
  | { readonly name: 'accepted' }
  | { readonly name: 'completed' }
  | { readonly name: 'terminated' };

type Result = Step<InviteClientState, InviteClientEffect>;

export const inviteClientInitial: InviteClientState = { name: 'idle' };

const TERMINATED: InviteClientState = { name: 'terminated' };
/** No report to the TU: it gave the transaction up itself (and answers its own user, §9.1). */
const ABANDONED: Result = { state: TERMINATED, effects: [{ kind: 'terminated' }] };

export function inviteClientTransition(
  state: InviteClientState,
  event: InviteClientEvent,
  timers: TimerConfig,
): Result {
  switch (state.name) {
    case 'idle':
      return event.kind === 'start' ? start(timers) : stay(state);
    case 'calling':
      return calling(state, event, timers);
    case 'proceeding':
      if (event.kind === 'abandon') return ABANDONED;
      return event.kind === 'response' ? (onResponse(event.status, [], timers) ?? stay(state)) : stay(state);
    case 'accepted':
      return accepted(state, event);
    case 'completed':
      return completed(state, event);
    case 'terminated':
      return stay(state);
  }
}

function start(timers: TimerConfig): Result {
  const effects: InviteClientEffect[] = [{ kind: 'send-request' }];
  if (!timers.reliable) effects.push({ kind: 'start-timer', name: 'A', ms: timers.t1 });
  effects.push({ kind: 'start-timer', name: 'B', ms: transactionTimeout(timers) });
  return { state: { name: 'calling', timerA: timers.t1 }, effects };
}

function calling(
  state: Extract<InviteClientState, { name: 'calling' }>,
  event: InviteClientEvent,
  timers: TimerConfig,
): Result {
  switch (event.kind) {
    case 'start':
      return stay(state);
    case 'timer':
      if (event.name === 'A' && !timers.reliable) {
        const next = 2 * state.timerA;
        return {
          state: { name: 'calling', timerA: next },
          effects: [{ kind: 'send-request' }, { kind: 'start-timer', name: 'A', ms: next }],
        };
      }
      if (event.name === 'B')
        return { state: TERMINATED, effects: [{ kind: 'timeout' }, { kind: 'terminated' }] };
      return stay(state);
    case 'transport-error':
      return { state: TERMINATED, effects: [{ kind: 'transport-error' }, { kind: 'terminated' }] };
    case 'abandon':
      return ABANDONED;
    case 'response': {
      const stop: InviteClientEffect[] = timers.reliable ? [] : [{ kind: 'cancel-timer', name: 'A' }];
      stop.push({ kind: 'cancel-timer', name: 'B' });
      return onResponse(event.status, stop, timers) ?? stay(state);
    }
  }
}

/** A response in Calling or Proceeding; undefined when the status is not a valid one. */
function onResponse(status: number, stop: InviteClientEffect[], timers: TimerConfig): Result | undefined {
  const toTu: InviteClientEffect = { kind: 'pass-to-tu', status };
  switch (statusClass(status)) {
    case 'provisional':
      return { state: { name: 'proceeding' }, effects: [...stop, toTu] };
    case 'success':
      return {
        state: { name: 'accepted' },
        effects: [...stop, toTu, { kind: 'start-timer', name: 'M', ms: transactionTimeout(timers) }],
      };
    case 'failure': {
      const d = timerD(timers);
      const head: InviteClientEffect[] = [...stop, { kind: 'send-ack' }, toTu];
      return d === 0
        ? { state: TERMINATED, effects: [...head, { kind: 'terminated' }] }
        : { state: { name: 'completed' }, effects: [...head, { kind: 'start-timer', name: 'D', ms: d }] };
    }
    case 'invalid':
      return undefined;
  }
}

function accepted(state: InviteClientState, event: InviteClientEvent): Result {
  if (event.kind === 'response' && statusClass(event.status) === 'success') {
    return { state, effects: [{ kind: 'pass-to-tu', status: event.status }] };
  }
  if (event.kind === 'timer' && event.name === 'M')
    return { state: TERMINATED, effects: [{ kind: 'terminated' }] };
  return stay(state);
}

function completed(state: InviteClientState, event: InviteClientEvent): Result {
  if (event.kind === 'response' && statusClass(event.status) === 'failure') {
    return { state, effects: [{ kind: 'send-ack' }] };
  }
  if (event.kind === 'transport-error') {
    return { state: TERMINATED, effects: [{ kind: 'transport-error' }, { kind: 'terminated' }] };
  }
  if (event.kind === 'timer' && event.name === 'D')
    return { state: TERMINATED, effects: [{ kind: 'terminated' }] };
  return stay(state);
}
