/**
 * A sorted set used as an index whose members expire individually (score = expiry, epoch ms):
 * owner → calls, due bindings, bans. Expired members are pruned on write and on read; the key's
 * own TTL is only ever extended, so it never outlives its last member by more than `ttlMs`.
 */
import type { RedisClient } from './client';
import { LuaScript } from './lua-script';

const ADD = new LuaScript(
  'index-add',
  `redis.call('ZADD', KEYS[1], ARGV[2], ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[3])
if redis.call('PTTL', KEYS[1]) < tonumber(ARGV[4]) then redis.call('PEXPIRE', KEYS[1], ARGV[4]) end
return 1`,
);

const LIVE = new LuaScript(
  'index-live',
  `redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
return redis.call('ZRANGE', KEYS[1], 0, -1)`,
);

/** Add or re-score a member; `ttlMs` is how long the key must live at least from now. */
export async function indexAdd(
  client: RedisClient,
  key: string,
  member: string,
  expiresAt: number,
  now: number,
  ttlMs: number,
): Promise<void> {
  await ADD.run(client, [key], [member, expiresAt, now, Math.max(1, Math.ceil(ttlMs))]);
}

/** Unexpired members, soonest to expire first. */
export async function indexLive(client: RedisClient, key: string, now: number): Promise<string[]> {
  const reply = await LIVE.run(client, [key], [now]);
  return Array.isArray(reply) ? reply.filter((m): m is string => typeof m === 'string') : [];
}
