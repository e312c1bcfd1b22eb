import { strict as assert } from 'node:assert';
import { admitCall, type CallCounters, type TrunkLimits } from '../../../../lib/sbc/pipeline/limits';
import { limitsStage } from '../../../../lib/sbc/pipeline/limits-stage';
import { newCallContext } from '../../../../lib/sbc/pipeline/context';
import { StateError } from '../../../../lib/state/state-error';
import { trunksOf } from '../helpers';

/** Counters recording each store operation; `admit` answers from `answer` (or fails). */
class OneStepCounters implements CallCounters {
  readonly ops: string[] = [];
  answer: 'admitted' | 'cps' | 'calls' | Error = 'admitted';

  admit(trunk: string, callId: string, limits: TrunkLimits): Promise<'admitted' | 'cps' | 'calls'> {
    this.ops.push(`admit ${trunk} ${callId} cps=${limits.cps} max=${limits.maxCalls}`);
    return this.answer instanceof Error ? Promise.reject(this.answer) : Promise.resolve(this.answer);
  }
  acquireCallSlot(trunk: string, callId: string): Promise<boolean> {
    this.ops.push(`acquire ${trunk} ${callId}`);
    return Promise.resolve(true);
  }
  releaseCallSlot(trunk: string, callId: string): Promise<void> {
    this.ops.push(`release ${trunk} ${callId}`);
    return Promise.resolve();
  }
}

describe('sbc/pipeline/limits: one store operation per trunk', () => {
  it('asks the store once for rate and slot together', async () => {
    const c = new OneStepCounters();
    const d = await admitCall(c, 't', 'c1', { cps: 5, maxCalls: 10 });
    assert.deepEqual(d, { kind: 'admit', hold: { trunk: 't', callId: 'c1' } });
    assert.deepEqual(c.ops, ['admit t c1 cps=5 max=10']);
  });

  it('holds no slot when only the rate is limited', async () => {
    const c = new OneStepCounters();
    assert.deepEqual(await admitCall(c, 't', 'c1', { cps: 5 }), { kind: 'admit', hold: undefined });
    assert.deepEqual(c.ops, ['admit t c1 cps=5 max=undefined']);
  });

  for (const limit of ['cps', 'calls'] as const) {
    it(`maps the store's ${limit} refusal to 503 with Retry-After, holding nothing`, async () => {
      const c = new OneStepCounters();
      c.answer = limit;
      const d = await admitCall(c, 't', 'c1', { cps: 5, maxCalls: 10 }, 3);
      assert.ok(d.kind === 'refuse');
      assert.equal(d.limit, limit);
      assert.equal(d.status, 503);
      assert.deepEqual(d.headers, [['Retry-After', '3']]);
    });
  }

  it('gives back a slot the store may have granted when its answer is lost, then fails', async () => {
    const c = new OneStepCounters();
    c.answer = new StateError('STATE_UNREACHABLE', 'redis admitCall: timeout');
    await assert.rejects(admitCall(c, 't', 'c1', { cps: 5, maxCalls: 10 }), { code: 'STATE_UNREACHABLE' });
    assert.deepEqual(c.ops, ['admit t c1 cps=5 max=10', 'release t c1']);
  });

  it('has nothing to give back when no slot was asked for', async () => {
    const c = new OneStepCounters();
    c.answer = new StateError('STATE_UNREACHABLE', 'down');
    await assert.rejects(admitCall(c, 't', 'c1', { cps: 5 }));
    assert.deepEqual(c.ops, ['admit t c1 cps=5 max=undefined']);
  });

  it('the stage records the hold so a later rejection or the call end releases it', async () => {
    const [trunk] = trunksOf(`
trunks:
  - { name: carrier, inbound: { sources: [ 198.51.100.0/28 ] }, limits: { maxCalls: 2, cps: 4 } }
`);
    const c = new OneStepCounters();
    const ctx = newCallContext({
      method: 'INVITE',
      uri: 'sip:1@sbc',
      from: '<sip:a@x>;tag=1',
      to: '<sip:1@sbc>',
      callId: 'sip-call-1',
      headers: { get: () => undefined, getAll: () => [], names: () => [] },
      source: { address: '198.51.100.1', port: 5060, transport: 'udp' },
    });
    Object.assign(ctx, { sourceTrunk: trunk });
    assert.deepEqual(await limitsStage(c, 'source').run(ctx), { kind: 'continue' });
    assert.deepEqual(ctx.slots, [{ trunk: 'carrier', callId: 'sip-call-1' }]);
    assert.deepEqual(c.ops, ['admit carrier sip-call-1 cps=4 max=2']);
  });
});
