/**
 * What one call costs the Redis backend, counted on a real redis-server with MONITOR (which
 * shows every command a client sent, and those its scripts ran as coming from "lua"): each step
 * of the call path is ONE command, so one round trip — an admission per trunk, the record's
 * write, its delete. Also: a record written without its index list (by an older version, or the
 * Cluster code path) still gets its index entries cleaned up.
 */
import assert from 'node:assert/strict';
import { Redis } from 'ioredis';
import { silentLog } from '../../../lib/util/logger';
import { RedisStateStore } from '../../../lib/state/redis-store';
import { startRedis, type TestRedis } from '../../support/redis-server';
import { sampleCall, sleep } from './contract-fixtures';

describe('RedisStateStore: commands per call step (real redis-server, MONITOR)', function () {
  this.timeout(30_000);
  let redis: TestRedis;
  let store: RedisStateStore;
  let raw: Redis;
  let monitor: Redis | undefined;
  let seen: string[] = [];
  let marks = 0;

  before(async () => {
    redis = await startRedis();
    raw = new Redis(redis.url);
    store = new RedisStateStore({ target: { url: redis.url }, keyPrefix: 'cmd:', log: silentLog });
    await store.connect();
    // scripts loaded once (EVALSHA → NOSCRIPT → EVAL), so that the counts below are steady state
    await store.admitCall({ trunk: 'warm', callId: 'w', cps: 1, maxCalls: 1, leaseSeconds: 60 });
    await store.putCall(sampleCall('warm'), 60);
    await store.deleteCall('warm');
  });
  after(async () => {
    await store.close();
    raw.disconnect();
    await redis.stop();
  });
  beforeEach(async () => {
    seen = [];
    monitor = await new Redis(redis.url).monitor();
    monitor.on('monitor', (_time: string, args: string[], source: string) => {
      const name = (args[0] ?? '?').toLowerCase();
      if (name === 'echo') seen.push(`echo ${args[1] ?? ''}`);
      else seen.push(source === 'lua' ? `lua ${name}` : name);
    });
  });
  afterEach(() => {
    monitor?.disconnect();
  });

  /** Waits until MONITOR relayed an ECHO of `token` (it relays in order). */
  async function marker(token: string): Promise<number> {
    await raw.echo(token);
    for (let i = 0; i < 100 && !seen.includes(`echo ${token}`); i++) await sleep(10);
    const at = seen.indexOf(`echo ${token}`);
    assert.ok(at >= 0, `MONITOR did not relay ${token}`);
    return at;
  }

  /** Commands clients sent (not those their scripts ran) while `fn` ran. */
  async function sent(fn: () => Promise<unknown>): Promise<string[]> {
    const from = await marker(`start-${++marks}`);
    await fn();
    const to = await marker(`end-${marks}`);
    return seen.slice(from + 1, to).filter((c) => !c.startsWith('lua '));
  }

  it('admits a call on a limited trunk with one command', async () => {
    const request = { trunk: 'carrier', callId: 'c1', cps: 10, maxCalls: 10, leaseSeconds: 300 };
    assert.deepEqual(await sent(() => store.admitCall(request)), ['evalsha']);
    assert.ok(seen.includes('lua zadd'), seen.join(' ')); // the script did take the slot
  });

  it('writes a new call record with its indexes with one command', async () => {
    assert.deepEqual(await sent(() => store.putCall(sampleCall('p1'), 60)), ['evalsha']);
    assert.equal((await store.findCallByDialog('b-p1', 'lb-p1'))?.id, 'p1');
  });

  it('rewrites a record whose leg and owner changed with one command, unlinking the old entries', async () => {
    await store.putCall(sampleCall('p2'), 60);
    const moved = sampleCall('p2', {
      owner: 'sbc-2',
      outbound: { dialog: { callId: 'b2-p2', localTag: 'lb2' }, routeSet: [] },
    });
    assert.deepEqual(await sent(() => store.putCall(moved, 60)), ['evalsha']);
    assert.equal(await store.findCallByDialog('b-p2', 'lb-p2'), undefined);
    assert.equal((await store.findCallByDialog('b2-p2', 'lb2'))?.id, 'p2');
    assert.ok(!(await store.listCallsByOwner('sbc-1')).some((c) => c.id === 'p2'));
    assert.deepEqual(
      (await store.listCallsByOwner('sbc-2')).map((c) => c.id),
      ['p2'],
    );
  });

  it('deletes a record and every index entry with one command', async () => {
    await store.putCall(sampleCall('d1'), 60);
    assert.deepEqual(await sent(() => store.deleteCall('d1')), ['evalsha']);
    assert.deepEqual(await raw.keys('cmd:*d1*'), []);
    assert.equal(await raw.zscore('cmd:owner:{sbc-1}', 'd1'), null);
  });

  it('cleans up after a record written without its index list (older version)', async () => {
    await store.putCall(sampleCall('old'), 60);
    await raw.del('cmd:call:{old}:idx');
    const moved = sampleCall('old', {
      outbound: { dialog: { callId: 'b2-old', localTag: 'lb2' }, routeSet: [] },
    });
    await store.putCall(moved, 60);
    assert.equal(await raw.get('cmd:dlg:{b-old}:lb-old'), null);
    await raw.del('cmd:call:{old}:idx');
    assert.equal(await store.deleteCall('old'), true);
    assert.deepEqual(await raw.keys('cmd:*old*'), []);
    assert.equal(await store.deleteCall('old'), false);
  });
});
