/**
 * Redis faults during sipp traffic through a real Palisade (issue 8 §6). A redis-server (with its
 * data on disk) is stopped mid-run and restarted: no crash or error, calls that were up stay up
 * and end normally (some during the outage, some after), new calls get 503 + Retry-After while it
 * is down and connect again after; afterwards no call record and no trunk slot is left over, and
 * each call has exactly one CDR. Then a Sentinel failover: the master is killed, the replica is
 * promoted, established calls end normally and new calls connect through the new master.
 */
import assert from 'node:assert/strict';
import { eventually, httpGet } from '../../support/http';
import { startRedis, type TestRedis } from '../../support/redis-server';
import { startRedisSentinel, type TestRedisSentinel } from '../../support/redis-sentinel';
import { runSipp, startSippUas, type SippResult, type SippUas } from '../../support/sipp';
import type { TestSbc } from '../../support/sbc';
import { errorsLogged, explain, outcomesOf, redisStore, startRedisSbc, waitReady } from './scale-fixture';

const LIMITS = '{ maxCalls: 50, cps: 100 }';

function calls(sbc: TestSbc, scenario: string, n: number, pauseMs: number): Promise<SippResult> {
  return runSipp({
    scenario,
    remote: { host: '127.0.0.1', port: sbc.sipPort },
    calls: n,
    rate: 20,
    maxConcurrent: n,
    pauseMs,
    timeoutMs: 40_000,
  });
}

async function records(sbc: TestSbc, owner: string): Promise<number> {
  return (await sbc.internals.state.listCallsByOwner(owner)).length;
}

/** After the traffic: nothing left in Redis, nothing waiting to be cleaned, one CDR per call. */
async function assertSettled(sbc: TestSbc, owner: string, answeredCalls: number): Promise<void> {
  await eventually(async () => {
    assert.equal(await records(sbc, owner), 0, 'no call record left');
    assert.equal(await sbc.internals.state.callSlotsInUse('local'), 0, 'no trunk slot left');
    assert.equal(redisStore(sbc).pendingCleanups, 0, 'no clean-up pending');
  }, 15_000);
  const answered = sbc.cdrs().filter((c) => c.answerAt !== null);
  assert.equal(answered.length, answeredCalls, 'one CDR per answered call');
  assert.equal(new Set(answered.map((c) => c.callId)).size, answeredCalls, 'no CDR twice');
  assert.deepEqual(errorsLogged(sbc), []);
}

describe('Redis faults under SIP traffic', function () {
  this.timeout(120_000);
  let redis: TestRedis | undefined;
  let sentinel: TestRedisSentinel | undefined;
  let callee: SippUas | undefined;
  let sbc: TestSbc | undefined;
  afterEach(async () => {
    await callee?.stop(300);
    await sbc?.stop();
    await redis?.stop();
    await sentinel?.stop();
    redis = sentinel = callee = sbc = undefined;
  });

  it('redis-server stopped and restarted mid-run: calls up carry on, new calls 503 then connect', async () => {
    redis = await startRedis({ persist: true });
    callee = await startSippUas({ scenario: 'invite-uas.xml' });
    const state = `state: { backend: redis, url: "${redis.url}" }`;
    const s = (sbc = await startRedisSbc({
      instance: 'fault-1',
      calleePort: callee.port,
      limits: LIMITS,
      state,
    }));
    await waitReady(s);
    // 3 calls that end during the outage, 3 that end after Redis is back.
    const short = calls(s, 'invite-uac.xml', 3, 4000);
    const long = calls(s, 'invite-uac.xml', 3, 12_000);
    await eventually(async () => {
      assert.equal(await records(s, 'fault-1'), 6);
    }, 10_000);
    assert.equal(await s.internals.state.callSlotsInUse('local'), 6);

    await redis.stop();
    await eventually(async () => {
      assert.equal((await httpGet(`${s.opsUrl}/ready`)).status, 503);
    }, 5000);
    const refused = await calls(s, 'invite-uac-or-503.xml', 3, 100);
    assert.equal(refused.outcome, 'all-succeeded', explain(refused));
    assert.deepEqual(outcomesOf(refused), { answered: 0, refused: 3, retryAfterOnAll503: true });
    const shortResult = await short;
    assert.equal(
      shortResult.outcome,
      'all-succeeded',
      `calls ended during the outage: ${explain(shortResult)}`,
    );

    await redis.restart();
    await waitReady(s);
    const after = await calls(s, 'invite-uac.xml', 3, 200);
    assert.equal(after.outcome, 'all-succeeded', `new calls after the restart: ${explain(after)}`);
    const longResult = await long;
    assert.equal(longResult.outcome, 'all-succeeded', `calls spanning the outage: ${explain(longResult)}`);
    await assertSettled(s, 'fault-1', 9);
  });

  it('Sentinel failover mid-run: established calls end normally, new calls resume after promotion', async () => {
    sentinel = await startRedisSentinel(1);
    callee = await startSippUas({ scenario: 'invite-uas.xml' });
    const hosts = sentinel.sentinels.map((h) => `"${h}"`).join(', ');
    const state = `state: { backend: redis, sentinels: { name: ${sentinel.name}, hosts: [ ${hosts} ] } }`;
    const s = (sbc = await startRedisSbc({
      instance: 'fault-2',
      calleePort: callee.port,
      limits: LIMITS,
      state,
    }));
    await waitReady(s);
    const established = calls(s, 'invite-uac.xml', 3, 10_000);
    await eventually(async () => {
      assert.equal(await records(s, 'fault-2'), 3);
    }, 10_000);
    await new Promise((r) => setTimeout(r, 500)); // let the replica catch up (asynchronous replication)

    const old = await sentinel.killMaster();
    await sentinel.waitForFailover(old);
    await waitReady(s, 30_000);
    const after = await calls(s, 'invite-uac.xml', 3, 200);
    assert.equal(after.outcome, 'all-succeeded', `new calls after the promotion: ${explain(after)}`);
    const r = await established;
    assert.equal(r.outcome, 'all-succeeded', `calls spanning the failover: ${explain(r)}`);
    await assertSettled(s, 'fault-2', 6);
  });
});
