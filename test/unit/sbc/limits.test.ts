import { strict as assert } from 'node:assert';
import { admitCall, releaseSlots } from '../../../lib/sbc/pipeline/limits';
import type { SlotHold } from '../../../lib/sbc/pipeline/context';
import { FakeCounters } from './helpers';

describe('sbc/pipeline/limits', () => {
  it('no limits: admitted without touching the store', async () => {
    const counters = new FakeCounters();
    assert.deepEqual(await admitCall(counters, 't', 'c1', {}), { kind: 'admit', hold: undefined });
    assert.deepEqual(counters.log, []);
  });

  it('maxCalls: admits up to the limit, then 503 with Retry-After', async () => {
    const counters = new FakeCounters();
    const limits = { maxCalls: 2 };
    assert.equal((await admitCall(counters, 't', 'c1', limits)).kind, 'admit');
    assert.equal((await admitCall(counters, 't', 'c2', limits)).kind, 'admit');
    const third = await admitCall(counters, 't', 'c3', limits, 5);
    assert.ok(third.kind === 'refuse');
    assert.equal(third.status, 503);
    assert.equal(third.limit, 'calls');
    assert.deepEqual(third.headers, [['Retry-After', '5']]);
    assert.equal(counters.held('t'), 2);
  });

  it('a released slot can be taken again', async () => {
    const counters = new FakeCounters();
    const first = await admitCall(counters, 't', 'c1', { maxCalls: 1 });
    assert.ok(first.kind === 'admit' && first.hold);
    assert.equal((await admitCall(counters, 't', 'c2', { maxCalls: 1 })).kind, 'refuse');
    const holds: SlotHold[] = [first.hold];
    await releaseSlots(counters, holds);
    await releaseSlots(counters, holds); // idempotent
    assert.equal(counters.log.filter((l) => l.startsWith('release')).length, 1);
    assert.equal((await admitCall(counters, 't', 'c2', { maxCalls: 1 })).kind, 'admit');
  });

  it('cps exceeded: 503 and no slot is taken', async () => {
    const counters = new FakeCounters();
    counters.cpsAllowed = false;
    const decision = await admitCall(counters, 't', 'c1', { maxCalls: 10, cps: 5 });
    assert.ok(decision.kind === 'refuse');
    assert.equal(decision.limit, 'cps');
    assert.deepEqual(decision.headers, [['Retry-After', '1']]);
    assert.deepEqual(counters.log, ['cps t 5']);
  });

  it('cps within the rate, then the slot', async () => {
    const counters = new FakeCounters();
    const decision = await admitCall(counters, 't', 'c1', { maxCalls: 10, cps: 5 });
    assert.deepEqual(decision, { kind: 'admit', hold: { trunk: 't', callId: 'c1' } });
    assert.deepEqual(counters.log, ['cps t 5', 'acquire t c1 10']);
  });

  it('maxCalls 0 refuses without asking the store', async () => {
    const counters = new FakeCounters();
    assert.equal((await admitCall(counters, 't', 'c1', { maxCalls: 0, cps: 1 })).kind, 'refuse');
    assert.deepEqual(counters.log, []);
  });
});
