import { strict as assert } from 'node:assert';
import { orderGateways, type WeightedGateway } from '../../../lib/sbc/routing/gateway-order';
import { nextStep, planGateways, type PlanStep } from '../../../lib/sbc/routing/gateway-plan';
import { seededRandom, trunksOf } from './helpers';

const gw = (uri: string, priority: number, weight: number): WeightedGateway => ({ uri, priority, weight });

describe('sbc/routing/gateway-order', () => {
  it('orders by ascending priority', () => {
    const order = orderGateways([gw('c', 3, 10), gw('a', 1, 10), gw('b', 2, 10)], seededRandom(1));
    assert.deepEqual(
      order.map((g) => g.uri),
      ['a', 'b', 'c'],
    );
  });

  it('puts weight 0 last within its priority, still before higher priorities', () => {
    for (let seed = 0; seed < 50; seed++) {
      const order = orderGateways(
        [gw('zero', 1, 0), gw('x', 1, 1), gw('y', 1, 1000), gw('later', 2, 5)],
        seededRandom(seed),
      );
      assert.deepEqual(
        order.slice(2).map((g) => g.uri),
        ['zero', 'later'],
      );
    }
  });

  it('all weight 0: configuration order', () => {
    const order = orderGateways([gw('a', 1, 0), gw('b', 1, 0)], seededRandom(3));
    assert.deepEqual(
      order.map((g) => g.uri),
      ['a', 'b'],
    );
  });

  it('never loses or duplicates a gateway', () => {
    const gateways = Array.from({ length: 12 }, (_, i) => gw(`g${i}`, i % 3, (i * 7) % 5));
    const order = orderGateways(gateways, seededRandom(9));
    assert.deepEqual(order.map((g) => g.uri).sort(), gateways.map((g) => g.uri).sort());
  });

  it('picks first in proportion to weight (RFC 2782), statistically', () => {
    const gateways = [gw('a', 1, 10), gw('b', 1, 30), gw('c', 1, 60)];
    const random = seededRandom(42);
    const firsts = new Map<string, number>();
    const runs = 20000;
    for (let i = 0; i < runs; i++) {
      const first = orderGateways(gateways, random)[0]?.uri ?? '';
      firsts.set(first, (firsts.get(first) ?? 0) + 1);
    }
    for (const [uri, share] of [
      ['a', 0.1],
      ['b', 0.3],
      ['c', 0.6],
    ] as const) {
      assert.ok(Math.abs((firsts.get(uri) ?? 0) / runs - share) < 0.015, `${uri}: ${firsts.get(uri)}`);
    }
  });

  it('second place follows the remaining weights', () => {
    const gateways = [gw('a', 1, 50), gw('b', 1, 25), gw('c', 1, 25)];
    const random = seededRandom(7);
    let bSecondAfterA = 0;
    let aFirst = 0;
    for (let i = 0; i < 20000; i++) {
      const order = orderGateways(gateways, random);
      if (order[0]?.uri === 'a') {
        aFirst++;
        if (order[1]?.uri === 'b') bSecondAfterA++;
      }
    }
    assert.ok(Math.abs(bSecondAfterA / aFirst - 0.5) < 0.02);
  });
});

const [trunk] = trunksOf(`
trunks:
  - name: carrier
    outbound:
      gateways:
        - { uri: "sip:192.0.2.1", priority: 1 }
        - { uri: "sip:192.0.2.2", priority: 2 }
        - { uri: "sip:192.0.2.3", priority: 3 }
      inviteTimeoutSeconds: 3
`);

const uriOf = (step: PlanStep) =>
  step.kind === 'try' ? step.gateway.uri : `give-up ${step.response.status}`;

describe('sbc/routing/gateway-plan', () => {
  assert.ok(trunk);
  const plan = planGateways(trunk, seededRandom(1));
  assert.ok(plan);

  it('carries the trunk timeout and transport', () => {
    assert.equal(plan.inviteTimeoutMs, 3000);
    assert.equal(plan.transport, 'udp');
    const first = nextStep(plan, []);
    assert.equal(first.kind === 'try' && first.timeoutMs, 3000);
  });

  it('defaults the INVITE timeout to 5 s', () => {
    const [t] = trunksOf('trunks: [ { name: x, outbound: { gateways: [ { uri: "sip:192.0.2.9" } ] } } ]');
    assert.equal(t && planGateways(t)?.inviteTimeoutMs, 5000);
  });

  it('has no plan for a trunk without outbound', () => {
    const [t] = trunksOf('trunks: [ { name: x, inbound: { sources: [ 192.0.2.9 ] } } ]');
    assert.equal(t && planGateways(t), undefined);
  });

  const walks: [string, Parameters<typeof nextStep>[1], string][] = [
    ['starts with the first gateway', [], 'sip:192.0.2.1'],
    ['503 → next gateway', [503], 'sip:192.0.2.2'],
    ['timeout → next gateway', ['timeout'], 'sip:192.0.2.2'],
    ['transport error → next gateway', ['transport-error'], 'sip:192.0.2.2'],
    ['408 then 500 → third gateway', [408, 500], 'sip:192.0.2.3'],
    ['486 stops: relayed', [486], 'give-up 486'],
    ['603 stops: relayed', [503, 603], 'give-up 603'],
    ['404 after a 503 stops with 404', [503, 404], 'give-up 404'],
    ['all fail with 5xx → 503', [500, 502, 'timeout'], 'give-up 503'],
    ['all time out → 480', ['timeout', 'timeout', 408], 'give-up 480'],
  ];
  for (const [title, outcomes, expected] of walks) {
    it(title, () => {
      assert.equal(uriOf(nextStep(plan, outcomes)), expected);
    });
  }
});
