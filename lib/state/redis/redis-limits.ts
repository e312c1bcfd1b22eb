/**
 * Admission counters in Redis, each decision one Lua script so it is atomic across every
 * instance, timed by the Redis server's clock so instances with skewed clocks agree. A trunk's
 * keys share its hash tag, so a whole admission (rate, then slot) is one script on one slot.
 * Concurrent calls: zset call id → lease end; expired leases (a crashed instance) are dropped
 * before counting. CPS: zset of admissions in the last 1000 ms (sliding window).
 */
import { randomUuid } from '../../util/random-token';
import type { Admission, AdmissionRequest, LimitDecision, LimitStore } from '../limits';
import { requirePositive, secondsToMs } from '../state-error';
import type { RedisClient } from './client';
import { keys } from './keys';
import { flagAndCount, LuaScript, SERVER_NOW_MS } from './lua-script';

/** Lua: take a rate token on `key` (limit, nonce) or `return {refused, n}`. */
const cpsTake = (key: string, limit: string, nonce: string, refused: number): string =>
  `redis.call('ZREMRANGEBYSCORE', ${key}, '-inf', now - 1000)
local n = redis.call('ZCARD', ${key})
if n >= tonumber(${limit}) then return {${refused}, n} end
redis.call('ZADD', ${key}, now, ${nonce})
redis.call('PEXPIRE', ${key}, 1000)`;

/** Lua: take or renew `member`'s slot on `key` (max, lease ms) or `return {refused, n}`. */
const slotTake = (key: string, member: string, max: string, lease: string, refused: number): string =>
  `redis.call('ZREMRANGEBYSCORE', ${key}, '-inf', now)
local held = redis.call('ZSCORE', ${key}, ${member})
local n = redis.call('ZCARD', ${key})
if not held and n >= tonumber(${max}) then return {${refused}, n} end
redis.call('ZADD', ${key}, now + tonumber(${lease}), ${member})
if redis.call('PTTL', ${key}) < tonumber(${lease}) then redis.call('PEXPIRE', ${key}, ${lease}) end
if held then return {1, n} end
return {1, n + 1}`;

const ACQUIRE = new LuaScript(
  'slot-acquire',
  `${SERVER_NOW_MS}
${slotTake('KEYS[1]', 'ARGV[1]', 'ARGV[2]', 'ARGV[3]', 0)}`,
);

const IN_USE = new LuaScript(
  'slot-count',
  `${SERVER_NOW_MS}
return redis.call('ZCOUNT', KEYS[1], '(' .. now, '+inf')`,
);

const CPS = new LuaScript(
  'cps-take',
  `${SERVER_NOW_MS}
${cpsTake('KEYS[1]', 'ARGV[1]', 'ARGV[2]', 0)}
return {1, n + 1}`,
);

/** KEYS: cps, slots; ARGV: cps limit (0: none), nonce, call id, max (0: none), lease ms. */
const ADMIT_CPS = 2;
const ADMIT_CALLS = 3;
const ADMIT = new LuaScript(
  'call-admit',
  `${SERVER_NOW_MS}
if tonumber(ARGV[1]) > 0 then
${cpsTake('KEYS[1]', 'ARGV[1]', 'ARGV[2]', ADMIT_CPS)}
end
if tonumber(ARGV[4]) == 0 then return {1, 0} end
${slotTake('KEYS[2]', 'ARGV[3]', 'ARGV[4]', 'ARGV[5]', ADMIT_CALLS)}`,
);

function admissionOf(reply: unknown, slot: boolean): Admission {
  if (!Array.isArray(reply) || typeof reply[0] !== 'number' || typeof reply[1] !== 'number')
    throw new Error(`unexpected script reply ${JSON.stringify(reply)}`);
  if (reply[0] === 1) return { admitted: true, slot };
  return { admitted: false, limit: reply[0] === ADMIT_CPS ? 'cps' : 'calls', inUse: reply[1] };
}

export class RedisLimits implements LimitStore {
  constructor(private readonly client: RedisClient) {}

  async admitCall(r: AdmissionRequest): Promise<Admission> {
    const lease = secondsToMs('leaseSeconds', r.leaseSeconds);
    if (r.cps !== undefined) requirePositive('cps', r.cps);
    if (r.maxCalls !== undefined) requirePositive('maxCalls', r.maxCalls);
    const reply = await ADMIT.run(
      this.client,
      [keys.cps(r.trunk), keys.slots(r.trunk)],
      [r.cps ?? 0, r.cps === undefined ? '' : randomUuid(), r.callId, r.maxCalls ?? 0, lease],
    );
    return admissionOf(reply, r.maxCalls !== undefined);
  }

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
    const r = flagAndCount(await CPS.run(this.client, [keys.cps(trunk)], [limit, randomUuid()]));
    return { granted: r.flag, inUse: r.count };
  }
}
