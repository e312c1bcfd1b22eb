/**
 * Call record writes as one script each, for a Redis that is not a Cluster (standalone or
 * Sentinel: every key on one server, so a script may touch keys of different hash tags). A put
 * or a delete is then one command and one round trip instead of four commands in two.
 *
 * Beside the record, `call:{id}:idx` lists the index entries the last write made (`d<dialog key>`,
 * `o<owner key>`, full key names), so the next write removes the ones it no longer needs and a
 * delete removes all of them without reading and decoding the record.
 */
import type { RedisClient } from './client';
import { LuaScript } from './lua-script';

/** Lua: remove the index entries listed in `list` (a `\n`-joined idx value) except those in `keep`. */
const UNLINK = `local function unlink(list, keep, id)
  for entry in string.gmatch(list, '[^\\n]+') do
    if not keep[entry] then
      local key = string.sub(entry, 2)
      if string.sub(entry, 1, 1) == 'o' then redis.call('ZREM', key, id) else redis.call('DEL', key) end
    end
  end
end`;

// KEYS: record, idx, owner index, dialog keys…; ARGV: record JSON, ttl ms, id, now, expires at
// → 1, or the previous record when it has no idx (an older version wrote it): the caller then
// removes the index entries it no longer needs itself.
const PUT = new LuaScript(
  'call-put',
  `${UNLINK}
local ttl, id = ARGV[2], ARGV[3]
local old = redis.call('SET', KEYS[1], ARGV[1], 'PX', ttl, 'GET')
local entries, keep = {'o' .. KEYS[3]}, {}
for i = 4, #KEYS do
  redis.call('SET', KEYS[i], id, 'PX', ttl)
  entries[#entries + 1] = 'd' .. KEYS[i]
end
redis.call('ZADD', KEYS[3], ARGV[5], id)
redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', ARGV[4])
if redis.call('PTTL', KEYS[3]) < tonumber(ttl) then redis.call('PEXPIRE', KEYS[3], ttl) end
local previous = redis.call('GET', KEYS[2])
if previous then
  for _, e in ipairs(entries) do keep[e] = true end
  unlink(previous, keep, id)
end
redis.call('SET', KEYS[2], table.concat(entries, '\\n'), 'PX', ttl)
if old and not previous then return old end
return 1`,
);

// KEYS: record, idx; ARGV: id → 1/0 (removed or not), or the record when it has no idx (an
// older version wrote it): the caller then removes its index entries itself.
const DELETE = new LuaScript(
  'call-delete',
  `${UNLINK}
local list = redis.call('GET', KEYS[2])
if not list then return redis.call('GETDEL', KEYS[1]) or 0 end
unlink(list, {}, ARGV[1])
redis.call('DEL', KEYS[2])
return redis.call('DEL', KEYS[1])`,
);

export interface CallKeys {
  record: string;
  index: string;
  owner: string;
  dialogs: readonly string[];
}

/** The previous record when its index entries are the caller's to clean up, else undefined. */
export async function putCallScript(
  client: RedisClient,
  k: CallKeys,
  o: { json: string; ttlMs: number; id: string; now: number },
): Promise<string | undefined> {
  const reply = await PUT.run(
    client,
    [k.record, k.index, k.owner, ...k.dialogs],
    [o.json, o.ttlMs, o.id, o.now, o.now + o.ttlMs],
  );
  return typeof reply === 'string' ? reply : undefined;
}

/** True/false as deleteCall; a string is a record without idx whose index entries remain. */
export async function deleteCallScript(
  client: RedisClient,
  k: Pick<CallKeys, 'record' | 'index'>,
  id: string,
): Promise<boolean | string> {
  const reply = await DELETE.run(client, [k.record, k.index], [id]);
  return typeof reply === 'string' ? reply : reply === 1;
}
