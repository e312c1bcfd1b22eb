/**
 * Admission counters in Redis, each decision one Lua script on one key so it is atomic across
 * every instance, timed by the Redis server's clock so instances with skewed clocks agree.
 * Concurrent calls: zset call id → lease end; expired leases (a crashed instance) are dropped
 * before counting. CPS: zset of admissions in the last 1000 ms (sliding window).
 */
import { randomUUID } from 'node:crypto';
import type { LimitDecision, LimitStore } from '../limits';
import { requirePositive, secondsToMs } from '../state-error';
import type { RedisClient } from './client';
import { keys } from './keys';
import { flagAndCount, LuaScript, SERVER_NOW_MS } from './lua-script';

const ACQUIRE = new LuaScript(
  'slot-acquire',
  `${SERVER_NOW_MS}
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
local held = redis.call('ZSCORE', KEYS[1], ARGV[1])
local n = redis.call('ZCARD', KEYS[1])
if not held and n >= tonumber(ARGV[2]) then return {0, n} end
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[3]), ARGV[1])
if redis.call('PTTL', KEYS[1]) < tonumber(ARGV[3]) then redis.call('PEXPIRE', KEYS[1], ARGV[3]) end
if held then return {1, n} end
return {1, n + 1}`,
);

const IN_USE = new LuaScript(
  'slot-count',
  `${SERVER_NOW_MS}
return redis.call('ZCOUNT', KEYS[1], '(' .. now, '+inf')`,
);

const CPS = new LuaScript(
  'cps-take',
  `${SERVER_NOW_MS}
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - 1000)
local n = redis.call('ZCARD', KEYS[1])
if n >= tonumber(ARGV[1]) then return {0, n} end
redis.call('ZADD', KEYS[1], now, ARGV[2])
redis.call('PEXPIRE', KEYS[1], 1000)
return {1, n + 1}`,
);

export class RedisLimits implements LimitStore {
  constructor(private readonly client: RedisClient) {}

  async acquireCallSlot(
    trunk: string,
    callId: string,
    max: number,
    leaseSeconds: number,
  ): Promise<LimitDecision> {
    const lease = secondsToMs('leaseSeconds', leaseSeconds);
    requirePositive('max', max);
    const r = flagAndCount(await ACQUIRE.run(this.client, [keys.slots(trunk)], [callId, max, lease]));
    return { granted: r.flag, inUse: r.count };
  }

  async releaseCallSlot(trunk: string, callId: string): Promise<boolean> {
    return (await this.client.zrem(keys.slots(trunk), callId)) > 0;
  }

  async callSlotsInUse(trunk: string): Promise<number> {
    const n = await IN_USE.run(this.client, [keys.slots(trunk)], []);
    return typeof n === 'number' ? n : 0;
  }

  async takeCps(trunk: string, limit: number): Promise<LimitDecision> {
    requirePositive('limit', limit);
    const r = flagAndCount(await CPS.run(this.client, [keys.cps(trunk)], [limit, randomUUID()]));
    return { granted: r.flag, inUse: r.count };
  }
}
