/**
 * The shared StateStore contract against a real redis-server (each test gets its own key prefix;
 * a peer is a second client on the same prefix, i.e. another Palisade instance), then what only
 * Redis can do: lose the server mid-test and come back, keep TTLs on every key, share hash tags.
 */
import { silentLog } from '../../../lib/util/logger';
import { RedisStateStore } from '../../../lib/state/redis-store';
import type { StateStore } from '../../../lib/state/state-store';
import { startRedis, type TestRedis } from '../../support/redis-server';
import { stateStoreContract } from './contract';
import { redisOnlyTests } from './redis-only';

let redis: TestRedis | undefined;
let seq = 0;
const opened: StateStore[] = [];
const prefixes = new WeakMap<StateStore, string>();

async function openRedisStore(keyPrefix: string): Promise<RedisStateStore> {
  if (!redis) throw new Error('redis-server not started');
  const store = new RedisStateStore({ target: { url: redis.url }, keyPrefix, log: silentLog });
  await store.connect();
  opened.push(store);
  prefixes.set(store, keyPrefix);
  return store;
}

describe('RedisStateStore (real redis-server)', function () {
  this.timeout(30_000);
  before(async () => {
    redis = await startRedis();
  });
  after(async () => {
    await redis?.stop();
  });

  stateStoreContract('redis', {
    open: () => openRedisStore(`t${++seq}:`),
    peer: (store) => openRedisStore(prefixes.get(store) ?? 'missing:'),
    closeAll: async () => {
      await Promise.all(opened.splice(0).map((s) => s.close()));
    },
  });

  redisOnlyTests(() => {
    if (!redis) throw new Error('redis-server not started');
    return redis;
  });
});
