/**
 * Digest authentication state in Redis: a counter per key whose TTL is set by the first failure
 * (a fixed window), and the highest nonce-count per nonce, compared and raised atomically by a
 * script so two instances receiving the same (nonce, nc) accept it at most once.
 */
import type { AuthAttemptStore } from '../auth-attempts';
import { secondsToMs } from '../state-error';
import type { RedisClient } from './client';
import { keys } from './keys';
import { LuaScript } from './lua-script';

const COUNT_FAILURE = new LuaScript(
  'countAuthFailure',
  `local n = redis.call('INCR', KEYS[1])
if n == 1 or redis.call('PTTL', KEYS[1]) < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return n`,
);

const ADVANCE_NC = new LuaScript(
  'advanceNonceCount',
  `local seen = tonumber(redis.call('GET', KEYS[1]) or '-1')
if tonumber(ARGV[1]) <= seen then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return 1`,
);

export class RedisAuthAttempts implements AuthAttemptStore {
  constructor(private readonly client: RedisClient) {}

  async recordAuthFailure(key: string, windowSeconds: number): Promise<number> {
    const ms = secondsToMs('windowSeconds', windowSeconds);
    const n = await COUNT_FAILURE.run(this.client, [keys.authFailures(key)], [ms]);
    return Number(n);
  }

  async authFailures(key: string): Promise<number> {
    const text = await this.client.get(keys.authFailures(key));
    return text === null ? 0 : Number(text);
  }

  async advanceNonceCount(nonce: string, nc: number, ttlSeconds: number): Promise<boolean> {
    const ms = secondsToMs('ttlSeconds', ttlSeconds);
    const ok = await ADVANCE_NC.run(this.client, [keys.nonceCount(nonce)], [nc, ms]);
    return ok === 1;
  }
}
