/** Redis-only behaviour: outage and recovery, TTL on every key, hash tags, corrupt values. */
import assert from 'node:assert/strict';
import { Redis } from 'ioredis';
import { silentLog } from '../../../lib/util/logger';
import { RedisStateStore } from '../../../lib/state/redis-store';
import { StateError, type StateStore } from '../../../lib/state/state-store';
import { eventually } from '../../support/http';
import type { TestRedis } from '../../support/redis-server';
import { sampleBinding, sampleCall } from './contract-fixtures';

/** Redis Cluster's rule: the slot is computed from the first non-empty `{…}` in the key. */
function hashTag(key: string): string {
  const open = key.indexOf('{');
  const close = key.indexOf('}', open + 1);
  return open >= 0 && close > open + 1 ? key.slice(open + 1, close) : key;
}

/** One of every kind of write, as an SBC would make them. */
async function exercise(s: StateStore): Promise<void> {
  await s.putCall(sampleCall('odd}{id'), 60);
  await s.putBinding(sampleBinding('sip:{weird}@example.com', 'sip:a@192.0.2.1'));
  await s.acquireCallSlot('trunk{x}', 'c1', 10, 60);
  await s.takeCps('trunk{x}', 10);
  await s.ban('192.0.2.9', 60, 'test');
}

export function redisOnlyTests(server: () => TestRedis): void {
  const stores: RedisStateStore[] = [];
  const raw: Redis[] = [];
  const open = async (keyPrefix: string): Promise<RedisStateStore> => {
    const s = new RedisStateStore({ target: { url: server().url }, keyPrefix, log: silentLog });
    stores.push(s);
    await s.connect();
    return s;
  };
  const rawClient = (): Redis => {
    const r = new Redis(server().url, { lazyConnect: false });
    raw.push(r);
    return r;
  };
  afterEach(async () => {
    await Promise.all(stores.splice(0).map((s) => s.close()));
    for (const r of raw.splice(0)) r.disconnect();
  });

  describe('redis only', () => {
    it('gives every key the prefix and a TTL, and a hash tag shared by keys used together', async () => {
      await exercise(await open('ttl:'));
      const r = rawClient();
      const ours = await r.keys('ttl:*');
      assert.ok(ours.length >= 9, ours.join(' '));
      for (const k of ours) assert.ok((await r.pttl(k)) > 0, `${k} has no TTL`);
      const reg = ours.filter((k) => k.startsWith('ttl:reg:'));
      assert.equal(reg.length, 2);
      assert.equal(hashTag(reg[0]!), hashTag(reg[1]!));
      assert.ok(ours.includes('ttl:call:{odd%7D%7Bid}'), ours.join(' '));
    });

    it('keeps prefixes apart', async () => {
      const a = await open('iso-a:');
      const b = await open('iso-b:');
      await a.putCall(sampleCall('c1'), 60);
      await a.ban('192.0.2.1', 60, 'x');
      assert.equal(await b.getCall('c1'), undefined);
      assert.equal(await b.isBanned('192.0.2.1'), false);
    });

    it('reports an undecodable record as STATE_CORRUPT', async () => {
      const s = await open('corrupt:');
      await rawClient().set('corrupt:call:{c1}', 'not json', 'PX', 60_000);
      await assert.rejects(s.getCall('c1'), { code: 'STATE_CORRUPT', sipStatus: 500 });
      await s.putCall(sampleCall('c1'), 60);
      assert.equal((await s.getCall('c1'))?.id, 'c1');
    });

    it('rejects with STATE_CLOSED after close', async () => {
      const s = await open('closed:');
      await s.close();
      await assert.rejects(s.getCall('c1'), { code: 'STATE_CLOSED' });
    });

    it('rejects every operation with STATE_UNREACHABLE/503 while Redis is down, then works again', async function () {
      this.timeout(60_000);
      const s = await open('outage:');
      await s.acquireCallSlot('t', 'before', 5, 60);
      await server().stop();
      try {
        const ops: [string, () => Promise<unknown>][] = [
          ['putCall', () => s.putCall(sampleCall('c1'), 60)],
          ['getCall', () => s.getCall('c1')],
          ['findCallByDialog', () => s.findCallByDialog('b-c1', 'lb-c1')],
          ['listCallsByOwner', () => s.listCallsByOwner('sbc-1')],
          ['putBinding', () => s.putBinding(sampleBinding('sip:a@example.com', 'sip:a@192.0.2.1'))],
          ['getBindings', () => s.getBindings('sip:a@example.com')],
          ['expireBindings', () => s.expireBindings()],
          ['acquireCallSlot', () => s.acquireCallSlot('t', 'c1', 5, 60)],
          ['takeCps', () => s.takeCps('t', 5)],
          ['isBanned', () => s.isBanned('192.0.2.1')],
          ['ban', () => s.ban('192.0.2.1', 60, 'x')],
        ];
        const started = Date.now();
        const outcomes = await Promise.allSettled(ops.map(([, op]) => op()));
        outcomes.forEach((o, i) => {
          const name = ops[i]![0];
          assert.equal(o.status, 'rejected', `${name} should fail while Redis is down`);
          const reason: unknown = o.reason;
          assert.ok(reason instanceof StateError, `${name}: ${String(reason)}`);
          assert.equal(reason.code, 'STATE_UNREACHABLE', `${name}: ${reason.message}`);
          assert.equal(reason.sipStatus, 503);
        });
        assert.ok(Date.now() - started < 10_000, `took ${Date.now() - started} ms`);
      } finally {
        await server().restart();
      }
      await eventually(() => s.ping(), 15_000);
      // A fresh server has lost its script cache: EVALSHA falls back to EVAL.
      assert.deepEqual(await s.acquireCallSlot('t', 'after', 1, 60), { granted: true, inUse: 1 });
      await s.putCall(sampleCall('c2'), 60);
      assert.equal((await s.findCallByDialog('b-c2', 'lb-c2'))?.id, 'c2');
      assert.equal((await s.takeCps('t', 1)).granted, true);
    });
  });
}
