/**
 * The shared StateStore contract through Redis Sentinel (issue 8 §1): the store asks the
 * sentinels for the master. Then a failover: the master is killed, a sentinel promotes the
 * replica, and the same store carries on against the new master without being re-created.
 */
import assert from 'node:assert/strict';
import { silentLog } from '../../../lib/util/logger';
import { RedisStateStore } from '../../../lib/state/redis-store';
import { eventually } from '../../support/http';
import { startRedisSentinel, type TestRedisSentinel } from '../../support/redis-sentinel';
import { stateStoreContract } from './contract';
import { sampleCall } from './contract-fixtures';
import { redisHarness } from './redis-harness';

describe('RedisStateStore through Redis Sentinel (master + replica + 2 sentinels)', function () {
  this.timeout(60_000);
  let setup: TestRedisSentinel | undefined;
  before(async () => {
    setup = await startRedisSentinel(2);
  });
  after(async () => {
    await setup?.stop();
  });
  const sentinel = (): TestRedisSentinel => {
    if (!setup) throw new Error('sentinel not started');
    return setup;
  };
  const target = () => ({ sentinels: { name: sentinel().name, hosts: sentinel().sentinels } });

  stateStoreContract('redis sentinel', redisHarness(target));

  describe('failover', () => {
    it('follows the promoted replica: reads what the old master replicated, writes again', async () => {
      const store = new RedisStateStore({ target: target(), keyPrefix: 'failover:', log: silentLog });
      try {
        await store.connect();
        await store.putCall(sampleCall('before'), 60);
        assert.deepEqual(await store.acquireCallSlot('t', 'before', 5, 60), { granted: true, inUse: 1 });
        // Let the replica catch up before the master dies (replication is asynchronous).
        await new Promise((r) => setTimeout(r, 500));
        const old = await sentinel().killMaster();
        const promoted = await sentinel().waitForFailover(old);
        assert.notEqual(promoted, old);
        await eventually(() => store.ping(), 20_000, 200);
        assert.equal((await store.getCall('before'))?.id, 'before');
        await store.putCall(sampleCall('after'), 60);
        assert.equal((await store.findCallByDialog('b-after', 'lb-after'))?.id, 'after');
        assert.deepEqual(await store.acquireCallSlot('t', 'after', 5, 60), { granted: true, inUse: 2 });
      } finally {
        await store.close();
      }
    });
  });
});
