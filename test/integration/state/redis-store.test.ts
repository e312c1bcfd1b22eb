/** The Redis StateStore against a real redis-server: connect, ping, and health across a restart. */
import assert from 'node:assert/strict';
import { silentLog } from '../../../lib/util/logger';
import { RedisStateStore } from '../../../lib/state/redis-store';
import type { StateHealth } from '../../../lib/state/state-store';
import { eventually } from '../../support/http';
import { startRedis, type TestRedis } from '../../support/redis-server';

describe('RedisStateStore with a real redis-server', function () {
  this.timeout(30_000);
  let redis: TestRedis;
  before(async () => {
    redis = await startRedis();
  });
  after(async () => {
    await redis.stop();
  });

  it('reports health down while Redis is gone and up again after it restarts, without crashing', async () => {
    const store = new RedisStateStore({ target: { url: redis.url }, keyPrefix: 'test:', log: silentLog });
    const seen: StateHealth[] = [];
    store.onHealth((h) => seen.push(h));
    await store.connect();
    await store.ping();
    assert.equal(seen.at(-1)?.up, true);

    await redis.stop();
    await eventually(() => {
      assert.equal(seen.at(-1)?.up, false);
    });
    await assert.rejects(store.ping(), { code: 'STATE_UNREACHABLE' });

    await redis.restart();
    await eventually(() => {
      assert.equal(seen.at(-1)?.up, true);
    }, 15_000);
    await store.ping();
    await store.close();
  });

  it('fails connect with a typed error when nothing listens', async () => {
    const store = new RedisStateStore({
      target: { url: 'redis://127.0.0.1:1' },
      keyPrefix: 'test:',
      connectTimeoutMs: 500,
      log: silentLog,
    });
    await assert.rejects(store.connect(), { code: 'STATE_UNREACHABLE' });
    await store.close();
  });
});
