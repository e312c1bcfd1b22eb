/**
 * Redis going away and coming back with its data (issue 8 §6), against a persistent real
 * redis-server: clean-ups that failed during the outage (a call that ended meanwhile) are replayed
 * once it is back, and writes that failed are never applied late or twice.
 */
import assert from 'node:assert/strict';
import { silentLog } from '../../../lib/util/logger';
import { RedisStateStore } from '../../../lib/state/redis-store';
import { eventually } from '../../support/http';
import { startRedis, type TestRedis } from '../../support/redis-server';
import { sampleCall } from './contract-fixtures';

describe('RedisStateStore across a Redis restart (persistent server)', function () {
  this.timeout(60_000);
  let redis: TestRedis | undefined;
  let store: RedisStateStore | undefined;
  afterEach(async () => {
    await store?.close();
    await redis?.stop();
  });

  it('replays record deletions and slot releases that failed while Redis was down, nothing else', async () => {
    redis = await startRedis({ persist: true });
    const s = (store = new RedisStateStore({
      target: { url: redis.url },
      keyPrefix: 'outage:',
      log: silentLog,
    }));
    await s.connect();
    await s.putCall(sampleCall('ended-during-outage'), 600);
    await s.putCall(sampleCall('still-up'), 600);
    assert.equal((await s.acquireCallSlot('t', 'ended-during-outage', 5, 600)).granted, true);
    assert.equal((await s.acquireCallSlot('t', 'still-up', 5, 600)).granted, true);

    await redis.stop();
    await assert.rejects(s.deleteCall('ended-during-outage'), { code: 'STATE_UNREACHABLE' });
    await assert.rejects(s.releaseCallSlot('t', 'ended-during-outage'), { code: 'STATE_UNREACHABLE' });
    await assert.rejects(s.acquireCallSlot('t', 'refused', 5, 600), { code: 'STATE_UNREACHABLE' });
    await assert.rejects(s.takeCps('t', 100), { code: 'STATE_UNREACHABLE' });
    await assert.rejects(s.putCall(sampleCall('refused'), 600), { code: 'STATE_UNREACHABLE' });
    assert.equal(s.pendingCleanups, 2);

    await redis.restart();
    await eventually(() => {
      assert.equal(s.pendingCleanups, 0);
    }, 20_000);
    assert.equal(await s.getCall('ended-during-outage'), undefined);
    assert.equal((await s.getCall('still-up'))?.id, 'still-up');
    assert.equal(await s.getCall('refused'), undefined, 'a failed write is not applied late');
    assert.deepEqual(
      (await s.listCallsByOwner('sbc-1')).map((c) => c.id),
      ['still-up'],
    );
    assert.equal(await s.callSlotsInUse('t'), 1, 'only the call still up holds a slot');
    const cps = await s.takeCps('t', 1);
    assert.deepEqual(cps, { granted: true, inUse: 1 }, 'the refused CPS token was not counted late');
  });
});
