/**
 * Keepalive interval for one NATed UDP flow (issue 7 point 4) as a pure state machine:
 * `transition(policy, state, event) → { state, effects }`; the manager runs the timers.
 *
 * A NAT keeps a UDP mapping for some idle time after the last packet through it (RFC 4787 §4.3
 * asks for ≥ 2 min, many home routers use 30–60 s; RFC 5626 §4.4.1 keeps flows alive from the
 * client side). Palisade sends the keepalives itself, and in `adaptive` mode learns the mapping
 * lifetime to send as few as possible:
 *   probing  — answered at interval I: lifetime ≥ I; try I × growth (capped at max, and by
 *              bisection below a known upper bound); settle when the step gets small or max is reached;
 *   settled  — send at the interval; after `reprobeAfter` answers, probe again (the NAT may have
 *              been misjudged, e.g. a lost packet) — rarely;
 *   retrying — a keepalive went unanswered: one retry at once tells packet loss (answered) from
 *              a lost mapping (unanswered again);
 *   lost     — the mapping is gone: lifetime ≤ I, fall back to `fallback` × the longest answered
 *              interval; keep sending at that interval until the client refreshes the flow
 *              (re-REGISTER) or `maxMissed` misses in a row report the flow unreachable.
 * `fixed` mode uses the same retry/miss handling at a constant interval.
 */

export type KeepaliveMode = 'fixed' | 'adaptive';
export type KeepalivePhase = 'probing' | 'settled' | 'retrying' | 'lost';

export interface KeepalivePolicy {
  mode: KeepaliveMode;
  startMs: number;
  minMs: number;
  maxMs: number;
  /** Interval multiplier while probing. */
  growth: number;
  /** After a lost mapping: this fraction of the longest answered interval. */
  fallback: number;
  /** Answers while settled before probing again. */
  reprobeAfter: number;
  /** Misses in a row that make the flow unreachable. */
  maxMissed: number;
}

export const DEFAULT_POLICY: Omit<KeepalivePolicy, 'mode' | 'startMs' | 'minMs' | 'maxMs' | 'maxMissed'> = {
  growth: 1.5,
  fallback: 0.8,
  reprobeAfter: 40,
};

export interface KeepaliveState {
  phase: KeepalivePhase;
  intervalMs: number;
  /** Longest interval after which a keepalive was answered (lifetime ≥ this). */
  goodMs: number | undefined;
  /** Shortest interval after which the mapping was lost (lifetime ≤ this). */
  boundMs: number | undefined;
  /** Phase to go back to when a retry is answered. */
  resume: 'probing' | 'settled';
  /** Unanswered keepalives in a row (retries included). */
  misses: number;
  /** Answers since settling (re-probe counter). */
  answers: number;
}

export type KeepaliveEvent = { type: 'answered' } | { type: 'missed' } | { type: 'refreshed' };

export type KeepaliveEffect =
  | { type: 'schedule'; delayMs: number }
  | { type: 'retry' }
  | { type: 'mapping-lost'; afterMs: number }
  | { type: 'unreachable'; misses: number };

export interface Step {
  state: KeepaliveState;
  effects: KeepaliveEffect[];
}

/** What is already known about the NAT (e.g. from an earlier flow of the same address). */
export type Learnt = Pick<KeepaliveState, 'goodMs' | 'boundMs' | 'intervalMs'>;

const clamp = (p: KeepalivePolicy, ms: number): number =>
  Math.round(Math.min(p.maxMs, Math.max(p.minMs, ms)));
/** Smallest step worth probing: 5 % of the interval, at least a second. */
const minStep = (ms: number): number => Math.max(1000, ms * 0.05);

/**
 * Every state object carries all seven fields, in this order, from the start: the transitions
 * below only override fields with `{ ...s, field }`, so V8 keeps one hidden class for all states
 * (a spread followed by a field the source lacks makes a new hidden class per object).
 */
function state(
  phase: KeepalivePhase,
  intervalMs: number,
  known: Pick<KeepaliveState, 'goodMs' | 'boundMs'> | undefined,
  resume: KeepaliveState['resume'],
): KeepaliveState {
  return { phase, intervalMs, goodMs: known?.goodMs, boundMs: known?.boundMs, resume, misses: 0, answers: 0 };
}

export function initialState(p: KeepalivePolicy, learnt?: Learnt): KeepaliveState {
  if (p.mode === 'fixed') return state('settled', p.startMs, undefined, 'settled');
  if (learnt !== undefined) return state('settled', clamp(p, learnt.intervalMs), learnt, 'settled');
  return state('probing', p.startMs, undefined, 'probing');
}

/**
 * The next probe above the longest interval known to survive (`from`, or goodMs if longer), or
 * undefined when there is nothing worth probing. Never at or above a known bound: bisect below it.
 */
function nextProbe(p: KeepalivePolicy, s: KeepaliveState, from: number): number | undefined {
  const base = Math.max(from, s.goodMs ?? 0);
  let next = Math.round(Math.min(p.maxMs, base * p.growth));
  if (s.boundMs !== undefined && next >= s.boundMs) next = Math.round((base + s.boundMs) / 2);
  return next - base < minStep(base) ? undefined : next;
}

function answered(p: KeepalivePolicy, s: KeepaliveState): Step {
  if (s.phase === 'retrying' || s.phase === 'lost') {
    // The retry got through: the first miss was packet loss, the mapping is fine.
    const phase = s.phase === 'lost' ? 'settled' : s.resume;
    return { state: { ...s, phase, misses: 0 }, effects: [{ type: 'schedule', delayMs: s.intervalMs }] };
  }
  if (p.mode === 'fixed')
    return { state: { ...s, misses: 0 }, effects: [{ type: 'schedule', delayMs: s.intervalMs }] };
  const goodMs = Math.max(s.goodMs ?? 0, s.intervalMs);
  if (s.phase === 'probing') {
    const next = nextProbe(p, { ...s, goodMs }, s.intervalMs);
    const state: KeepaliveState =
      next === undefined
        ? { ...s, goodMs, misses: 0, phase: 'settled', resume: 'settled', answers: 0 }
        : { ...s, goodMs, misses: 0, intervalMs: next };
    return { state, effects: [{ type: 'schedule', delayMs: state.intervalMs }] };
  }
  const answers = s.answers + 1;
  if (answers >= p.reprobeAfter) {
    const next = nextProbe(p, s, s.intervalMs);
    if (next !== undefined) {
      const state: KeepaliveState = {
        ...s,
        goodMs,
        misses: 0,
        answers: 0,
        phase: 'probing',
        resume: 'probing',
        intervalMs: next,
      };
      return { state, effects: [{ type: 'schedule', delayMs: next }] };
    }
  }
  // Nothing left to probe: at least go back up to the longest interval known to survive.
  const intervalMs = answers >= p.reprobeAfter ? Math.max(s.intervalMs, goodMs) : s.intervalMs;
  const state = { ...s, goodMs, intervalMs, misses: 0, answers: answers >= p.reprobeAfter ? 0 : answers };
  return { state, effects: [{ type: 'schedule', delayMs: intervalMs }] };
}

function missed(p: KeepalivePolicy, s: KeepaliveState): Step {
  const misses = s.misses + 1;
  const unreachable: KeepaliveEffect[] = misses === p.maxMissed ? [{ type: 'unreachable', misses }] : [];
  if (s.phase === 'probing' || s.phase === 'settled') {
    return {
      state: { ...s, phase: 'retrying', resume: s.phase, misses },
      effects: [{ type: 'retry' }, ...unreachable],
    };
  }
  if (s.phase === 'lost') {
    return {
      state: { ...s, misses },
      effects: [...unreachable, { type: 'schedule', delayMs: s.intervalMs }],
    };
  }
  // retrying, and the retry went unanswered too: the mapping did not survive intervalMs.
  const lostAfter = s.intervalMs;
  let next: KeepaliveState = { ...s, phase: 'lost', misses, answers: 0 };
  if (p.mode === 'adaptive') {
    const boundMs = Math.min(s.boundMs ?? Infinity, lostAfter);
    const goodMs = s.goodMs !== undefined && s.goodMs < boundMs ? s.goodMs : undefined;
    next = { ...next, boundMs, goodMs, intervalMs: clamp(p, p.fallback * (goodMs ?? lostAfter)) };
  }
  return {
    state: next,
    effects: [
      { type: 'mapping-lost', afterMs: lostAfter },
      ...unreachable,
      { type: 'schedule', delayMs: next.intervalMs },
    ],
  };
}

export function transition(p: KeepalivePolicy, s: KeepaliveState, e: KeepaliveEvent): Step {
  switch (e.type) {
    case 'answered':
      return answered(p, s);
    case 'missed':
      return missed(p, s);
    case 'refreshed': {
      // The client's own packet refreshed (or re-created) the mapping: count from now.
      const phase =
        s.phase === 'retrying' || s.phase === 'lost'
          ? p.mode === 'adaptive' && s.phase === 'retrying'
            ? s.resume
            : 'settled'
          : s.phase;
      return { state: { ...s, phase, misses: 0 }, effects: [{ type: 'schedule', delayMs: s.intervalMs }] };
    }
  }
}
