/**
 * The shared StateStore contract against a real three-master Redis Cluster (issue 8 §1): every
 * multi-key script and pipeline must stay within one slot, and ioredis.Cluster must follow the
 * slot map, so the same suite that passes on one redis-server passes here unchanged.
 */
import assert from 'node:assert/strict';
import { silentLog } from '../../../lib/util/logger';
import { RedisStateStore } from '../../../lib/state/redis-store';
import { redisCli, startRedisCluster, type TestRedisCluster } from '../../support/redis-cluster';
import { stateStoreContract } from './contract';
import { sampleBinding, sampleCall } from './contract-fixtures';
import { redisHarness } from './redis-harness';

describe('RedisStateStore on a Redis Cluster (3 local masters)', function () {
  this.timeout(60_000);
  let cluster: TestRedisCluster | undefined;
  before(async () => {
    cluster = await startRedisCluster(3);
  });
  after(async () => {
    await cluster?.stop();
  });
  const nodes = (): string[] => {
    if (!cluster) throw new Error('cluster not started');
    return cluster.nodes;
  };

  stateStoreContract(
    'redis cluster',
    redisHarness(() => ({ cluster: { nodes: nodes() } })),
  );

  it('spreads the keys of many calls and AORs over every master', async () => {
    const store = new RedisStateStore({
      target: { cluster: { nodes: nodes() } },
      keyPrefix: 'spread:',
      log: silentLog,
    });
    try {
      await store.connect();
      await Promise.all(
        Array.from({ length: 30 }, async (_, i) => {
          await store.putCall(sampleCall(`spread-${i}`), 60);
          await store.putBinding(sampleBinding(`sip:u${i}@example.com`, `sip:u${i}@192.0.2.1`));
        }),
      );
      const counts = await Promise.all(
        nodes().map(async (n) => Number((await redisCli(Number(n.split(':')[1]), 'dbsize')).trim())),
      );
      for (const [i, c] of counts.entries())
        assert.ok(c > 0, `master ${nodes()[i]} holds no key: ${counts.join(',')}`);
      assert.equal((await store.getBindings('sip:u7@example.com')).length, 1);
      assert.equal((await store.findCallByDialog('b-spread-7', 'lb-spread-7'))?.id, 'spread-7');
    } finally {
      await store.close();
    }
  });
});
