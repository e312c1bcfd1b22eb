/**
 * Global limits (issue 8 §2): two Palisade instances (own SIP ports, own rtpengines) sharing one
 * real redis-server; sipp callers hit both at once. A trunk's maxCalls and cps hold for the sum of
 * both instances, and every refused call gets 503 with Retry-After.
 */
import assert from 'node:assert/strict';
import { eventually } from '../../support/http';
import { startRedis, type TestRedis } from '../../support/redis-server';
import { runSipp, startSippUas, type SippResult, type SippUas } from '../../support/sipp';
import type { TestSbc } from '../../support/sbc';
import { errorsLogged, explain, outcomesOf, startRedisSbc, sum, waitReady } from './scale-fixture';

function burst(sbc: TestSbc, calls: number, pauseMs: number): Promise<SippResult> {
  return runSipp({
    scenario: 'invite-uac-or-503.xml',
    remote: { host: '127.0.0.1', port: sbc.sipPort },
    calls,
    rate: 50,
    maxConcurrent: calls,
    pauseMs,
    timeoutMs: 30_000,
  });
}

describe('global trunk limits across two instances sharing Redis', function () {
  this.timeout(90_000);
  let redis: TestRedis | undefined;
  let callee: SippUas | undefined;
  const sbcs: TestSbc[] = [];
  afterEach(async () => {
    await callee?.stop(300);
    for (const s of sbcs.splice(0)) await s.stop();
    await redis?.stop();
  });

  async function twoInstances(limits: string): Promise<[TestSbc, TestSbc]> {
    redis = await startRedis();
    callee = await startSippUas({ scenario: 'invite-uas.xml' });
    const state = `state: { backend: redis, url: "${redis.url}" }`;
    for (const instance of ['scale-a', 'scale-b']) {
      sbcs.push(await startRedisSbc({ instance, calleePort: callee.port, limits, state }));
    }
    const [a, b] = sbcs;
    assert.ok(a && b);
    await Promise.all([waitReady(a), waitReady(b)]);
    return [a, b];
  }

  it('maxCalls: 4 concurrent calls in total, whichever instance they reach', async () => {
    const [a, b] = await twoInstances('{ maxCalls: 4 }');
    const results = await Promise.all([burst(a, 6, 5000), burst(b, 6, 5000)]);
    for (const r of results) assert.equal(r.outcome, 'all-succeeded', explain(r));
    const total = sum(results.map(outcomesOf));
    assert.deepEqual(total, { answered: 4, refused: 8, retryAfterOnAll503: true });
    assert.ok(
      results.every((r) => outcomesOf(r).answered < 6),
      'neither instance admitted calls on its own count',
    );
    await eventually(async () => {
      assert.equal(await a.internals.state.callSlotsInUse('local'), 0, 'every slot released');
    }, 10_000);
    assert.deepEqual([...errorsLogged(a), ...errorsLogged(b)], []);
  });

  it('cps: the one-second window is shared by both instances', async () => {
    const [a, b] = await twoInstances('{ cps: 3 }');
    const results = await Promise.all([burst(a, 6, 100), burst(b, 6, 100)]);
    for (const r of results) assert.equal(r.outcome, 'all-succeeded', explain(r));
    const total = sum(results.map(outcomesOf));
    assert.equal(total.answered + total.refused, 12, JSON.stringify(total));
    // 12 attempts within a fraction of a second: 3 admitted in all (6 if each instance counted
    // alone); a very slow run may spill into a second window, never into 2 windows per instance.
    assert.ok(total.answered >= 3 && total.answered < 6, `answered ${total.answered} of 12`);
    assert.ok(total.retryAfterOnAll503);
  });
});
