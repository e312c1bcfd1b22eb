import { strict as assert } from 'node:assert';
import {
  DEFAULT_POLICY,
  type KeepaliveEvent,
  type KeepalivePolicy,
  type KeepaliveState,
  initialState,
  transition,
} from '../../../../../lib/sbc/nat/keepalive/keepalive-machine';

const S = 1000;
const adaptive: KeepalivePolicy = {
  ...DEFAULT_POLICY,
  mode: 'adaptive',
  startMs: 15 * S,
  minMs: 5 * S,
  maxMs: 300 * S,
  maxMissed: 3,
};
const fixed: KeepalivePolicy = { ...adaptive, mode: 'fixed' };

const A: KeepaliveEvent = { type: 'answered' };
const M: KeepaliveEvent = { type: 'missed' };
const R: KeepaliveEvent = { type: 'refreshed' };

function state(over: Partial<KeepaliveState>): KeepaliveState {
  return { ...initialState(adaptive), ...over };
}

describe('sbc/nat/keepalive/keepalive-machine', () => {
  it('starts probing at the configured interval (adaptive) or settled (fixed)', () => {
    assert.deepEqual(initialState(adaptive), {
      phase: 'probing',
      resume: 'probing',
      intervalMs: 15 * S,
      goodMs: undefined,
      boundMs: undefined,
      misses: 0,
      answers: 0,
    });
    assert.equal(initialState(fixed).phase, 'settled');
    const seeded = initialState(adaptive, { goodMs: 60 * S, boundMs: 90 * S, intervalMs: 48 * S });
    assert.deepEqual(
      [seeded.phase, seeded.intervalMs, seeded.goodMs, seeded.boundMs],
      ['settled', 48 * S, 60 * S, 90 * S],
    );
  });

  // state in → event → phase, interval, good, bound, misses, effects
  const table: [
    string,
    KeepalivePolicy,
    Partial<KeepaliveState>,
    KeepaliveEvent,
    Partial<KeepaliveState>,
    string[],
  ][] = [
    [
      'probe answered grows ×1.5',
      adaptive,
      {},
      A,
      { phase: 'probing', intervalMs: 22.5 * S, goodMs: 15 * S },
      ['schedule 22500'],
    ],
    [
      'growth capped at max',
      adaptive,
      { intervalMs: 250 * S },
      A,
      { phase: 'probing', intervalMs: 300 * S, goodMs: 250 * S },
      ['schedule 300000'],
    ],
    [
      'at max already: settle there',
      adaptive,
      { intervalMs: 300 * S },
      A,
      { phase: 'settled', intervalMs: 300 * S, goodMs: 300 * S },
      ['schedule 300000'],
    ],
    [
      'below a known bound: bisect',
      adaptive,
      { intervalMs: 40 * S, boundMs: 50 * S },
      A,
      { phase: 'probing', intervalMs: 45 * S },
      ['schedule 45000'],
    ],
    [
      'step too small: settle',
      adaptive,
      { intervalMs: 49.5 * S, boundMs: 50 * S },
      A,
      { phase: 'settled', intervalMs: 49.5 * S },
      ['schedule 49500'],
    ],
    [
      'probe missed: retry at once',
      adaptive,
      { intervalMs: 60 * S },
      M,
      { phase: 'retrying', resume: 'probing', misses: 1 },
      ['retry'],
    ],
    [
      'retry answered: loss, keep probing',
      adaptive,
      { phase: 'retrying', resume: 'probing', intervalMs: 60 * S, misses: 1 },
      A,
      { phase: 'probing', intervalMs: 60 * S, misses: 0 },
      ['schedule 60000'],
    ],
    [
      'retry missed: mapping lost, lifetime ≤ interval, 80 % of last good',
      adaptive,
      { phase: 'retrying', resume: 'probing', intervalMs: 75 * S, goodMs: 50 * S, misses: 1 },
      M,
      { phase: 'lost', intervalMs: 40 * S, goodMs: 50 * S, boundMs: 75 * S, misses: 2 },
      ['mapping-lost 75000', 'schedule 40000'],
    ],
    [
      'lost without any good interval: 80 % of the lost one, not below min',
      adaptive,
      { phase: 'retrying', resume: 'probing', intervalMs: 6 * S, misses: 1 },
      M,
      { phase: 'lost', intervalMs: 5 * S, boundMs: 6 * S, goodMs: undefined },
      ['mapping-lost 6000', 'schedule 5000'],
    ],
    [
      'lost, missed again: third miss is unreachable',
      adaptive,
      { phase: 'lost', intervalMs: 40 * S, misses: 2 },
      M,
      { phase: 'lost', misses: 3 },
      ['unreachable 3', 'schedule 40000'],
    ],
    [
      'lost, missed a fourth time: no second report',
      adaptive,
      { phase: 'lost', intervalMs: 40 * S, misses: 3 },
      M,
      { misses: 4 },
      ['schedule 40000'],
    ],
    [
      'lost, answered: settled again',
      adaptive,
      { phase: 'lost', intervalMs: 40 * S, misses: 2 },
      A,
      { phase: 'settled', misses: 0 },
      ['schedule 40000'],
    ],
    [
      'client refreshed a lost flow: settled, count from now',
      adaptive,
      { phase: 'lost', intervalMs: 40 * S, misses: 2 },
      R,
      { phase: 'settled', misses: 0 },
      ['schedule 40000'],
    ],
    [
      'client refreshed while probing: reschedule',
      adaptive,
      { intervalMs: 30 * S },
      R,
      { phase: 'probing' },
      ['schedule 30000'],
    ],
    [
      'settled answered: count towards re-probe',
      adaptive,
      { phase: 'settled', intervalMs: 40 * S, goodMs: 50 * S, boundMs: 75 * S, answers: 3 },
      A,
      { phase: 'settled', answers: 4 },
      ['schedule 40000'],
    ],
    [
      'settled, 40th answer: re-probe by bisection above the longest good interval',
      adaptive,
      { phase: 'settled', intervalMs: 40 * S, goodMs: 50 * S, boundMs: 75 * S, answers: 39 },
      A,
      { phase: 'probing', intervalMs: 62.5 * S, answers: 0 },
      ['schedule 62500'],
    ],
    [
      'settled near the bound, 40th answer: re-probe by bisection',
      adaptive,
      { phase: 'settled', intervalMs: 60 * S, goodMs: 60 * S, boundMs: 75 * S, answers: 39 },
      A,
      { phase: 'probing', intervalMs: 67.5 * S, answers: 0 },
      ['schedule 67500'],
    ],
    [
      'settled at max: nothing to re-probe',
      adaptive,
      { phase: 'settled', intervalMs: 300 * S, answers: 39 },
      A,
      { phase: 'settled', answers: 0 },
      ['schedule 300000'],
    ],
    [
      'settled missed: retry, resume settled',
      adaptive,
      { phase: 'settled', intervalMs: 40 * S },
      M,
      { phase: 'retrying', resume: 'settled' },
      ['retry'],
    ],
    [
      'fixed: answered keeps the interval',
      fixed,
      { phase: 'settled' },
      A,
      { phase: 'settled', intervalMs: 15 * S, goodMs: undefined },
      ['schedule 15000'],
    ],
    [
      'fixed: retry missed loses nothing learnt',
      fixed,
      { phase: 'retrying', resume: 'settled', misses: 1 },
      M,
      { phase: 'lost', intervalMs: 15 * S, boundMs: undefined },
      ['mapping-lost 15000', 'schedule 15000'],
    ],
  ];

  for (const [name, policy, from, event, expected, effects] of table) {
    it(name, () => {
      const step = transition(policy, state(from), event);
      for (const [k, v] of Object.entries(expected)) {
        assert.deepEqual(step.state[k as keyof KeepaliveState], v, k);
      }
      assert.deepEqual(
        step.effects.map((e) =>
          e.type === 'schedule'
            ? `schedule ${e.delayMs}`
            : e.type === 'mapping-lost'
              ? `mapping-lost ${e.afterMs}`
              : e.type === 'unreachable'
                ? `unreachable ${e.misses}`
                : e.type,
        ),
        effects,
      );
    });
  }

  it('converges just under a 60 s mapping lifetime and then sends far fewer packets than fixed 15 s', () => {
    const lifetime = 60 * S;
    let s = initialState(adaptive);
    let sent = 0;
    let elapsed = 0;
    const hour = 3600 * S;
    while (elapsed < 6 * hour) {
      elapsed += s.intervalMs;
      sent++;
      let step = transition(adaptive, s, s.intervalMs <= lifetime ? A : M);
      if (step.effects.some((e) => e.type === 'retry')) {
        sent++;
        step = transition(adaptive, step.state, M); // the mapping is gone: the retry fails too
        step = transition(adaptive, step.state, R); // the client re-registers
      }
      s = step.state;
    }
    assert.ok(s.intervalMs <= lifetime, `interval ${s.intervalMs}`);
    assert.ok(s.intervalMs >= 0.75 * lifetime, `interval ${s.intervalMs} should be near the lifetime`);
    assert.ok(s.boundMs !== undefined && s.boundMs > lifetime, `bound ${String(s.boundMs)}`);
    const fixedPerHour = hour / (15 * S);
    assert.ok(sent / 6 < fixedPerHour / 2.5, `adaptive ${sent / 6}/h vs fixed ${fixedPerHour}/h`);
  });
});
