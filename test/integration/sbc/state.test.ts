/**
 * Call records in the StateStore (issue 6 §5): written while a call is up, gone after its BYE —
 * with the memory backend and with a real redis-server; and with Redis stopped, a new call is
 * refused with 503 while the established one carries on to its BYE.
 */
import assert from 'node:assert/strict';
import { eventually, httpGet } from '../../support/http';
import { startRedis, type TestRedis } from '../../support/redis-server';
import { runSipp, startSippUas, type SippResult } from '../../support/sipp';
import { startTestSbc, type TestSbc } from '../../support/sbc';
import { assertNothingHeld, explain, messagesOf, Peers, received, waitReady } from './sbc-fixture';

const INSTANCE = 'instance: { id: state-test }';

function call(sbc: TestSbc, scenario: string, pauseMs = 0): Promise<SippResult> {
  return runSipp({
    scenario,
    remote: { host: '127.0.0.1', port: sbc.sipPort },
    calls: 1,
    pauseMs,
    timeoutMs: 15_000,
  });
}

async function records(sbc: TestSbc): Promise<number> {
  return (await sbc.internals.state.listCallsByOwner('state-test')).length;
}

describe('SBC call state in the StateStore', function () {
  this.timeout(40_000);
  const peers = new Peers();
  let redis: TestRedis | undefined;
  afterEach(async () => {
    await peers.stop();
    await redis?.stop();
    redis = undefined;
  });

  for (const backend of ['memory', 'redis'] as const) {
    it(`holds the record of an established call and removes it after BYE (${backend})`, async () => {
      const callee = peers.add(await startSippUas({ scenario: 'invite-uas.xml', calls: 1 }));
      if (backend === 'redis') redis = await startRedis();
      const state = redis ? `state: { backend: redis, url: "${redis.url}" }` : undefined;
      const sbc = (peers.sbc = await startTestSbc({
        carrierPort: callee.port,
        extraYaml: INSTANCE,
        ...(state ? { state } : {}),
      }));
      await waitReady(sbc);
      const running = call(sbc, 'invite-uac.xml', 1500);
      await eventually(async () => {
        const list = await sbc.internals.state.listCallsByOwner('state-test');
        const record = list[0];
        assert.ok(record, 'the call is recorded');
        assert.equal(record.state, 'answered');
        assert.equal(record.trunkOut, 'carrier');
        assert.ok(record.inbound.dialog.remoteTag && record.outbound?.dialog.remoteTag, 'both dialogs');
        assert.ok(record.media?.rtpengineCallId, 'the rtpengine call id');
      }, 5000);
      const r = await running;
      assert.equal(r.outcome, 'all-succeeded', explain(r));
      await eventually(async () => {
        assert.equal(await records(sbc), 0, 'the record is gone after BYE');
      }, 5000);
      await assertNothingHeld(sbc);
    });
  }

  it('with Redis stopped refuses new calls with 503 and lets the established call end', async () => {
    const callee = peers.add(await startSippUas({ scenario: 'invite-uas.xml' }));
    redis = await startRedis();
    const sbc = (peers.sbc = await startTestSbc({
      carrierPort: callee.port,
      extraYaml: INSTANCE,
      state: `state: { backend: redis, url: "${redis.url}" }`,
      capture: true,
    }));
    await waitReady(sbc);
    const established = call(sbc, 'invite-uac.xml', 4000);
    await eventually(async () => {
      assert.equal(await records(sbc), 1);
    }, 5000);
    await redis.stop();
    await eventually(async () => {
      const ready = await httpGet(`${sbc.opsUrl}/ready`);
      assert.equal(ready.status, 503, ready.body);
    }, 5000);
    const refused = await call(sbc, 'invite-uac-expect-error.xml');
    assert.equal(refused.outcome, 'all-succeeded', explain(refused));
    const response = received(messagesOf(refused), 'SIP/2.0 503')[0] ?? '';
    assert.match(response, /^Retry-After: \d+/im, 'a clean 503 with Retry-After');
    const r = await established;
    assert.equal(r.outcome, 'all-succeeded', `the established call ended with BYE/200: ${explain(r)}`);
    assert.deepEqual(
      sbc.logs.filter((l) => l.level === 'error' || l.level === 'fatal').map((l) => l.msg),
      [],
      'no errors',
    );
    await redis.restart();
    await waitReady(sbc);
  });
});
