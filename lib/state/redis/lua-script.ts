/**
 * A Lua script run by SHA (EVALSHA), loaded on first use or after the server lost its script
 * cache (restart, failover) by falling back to EVAL. Keys go through ioredis' keyPrefix.
 */
import { createHash } from 'node:crypto';
import { toError } from '../../util/errors';
import type { RedisClient } from './client';

export class LuaScript {
  private readonly sha: string;

  constructor(
    readonly name: string,
    private readonly source: string,
  ) {
    this.sha = createHash('sha1').update(source).digest('hex');
  }

  async run(
    client: RedisClient,
    keys: readonly string[],
    args: readonly (string | number)[],
  ): Promise<unknown> {
    try {
      return await client.evalsha(this.sha, keys.length, ...keys, ...args);
    } catch (e) {
      if (!toError(e).message.startsWith('NOSCRIPT')) throw e;
      return client.eval(this.source, keys.length, ...keys, ...args);
    }
  }
}

/** Lua prelude: the server's clock in milliseconds, so every instance judges time alike. */
export const SERVER_NOW_MS = `local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
`;

/** Reads a `{flag, count}` script reply. */
export function flagAndCount(reply: unknown): { flag: boolean; count: number } {
  if (!Array.isArray(reply) || typeof reply[0] !== 'number' || typeof reply[1] !== 'number')
    throw new Error(`unexpected script reply ${JSON.stringify(reply)}`);
  return { flag: reply[0] === 1, count: reply[1] };
}
