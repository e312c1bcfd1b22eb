/**
 * Registrations in Redis. Per AOR, a hash (binding key → Binding JSON) and a zset (binding key →
 * expiresAt) share the AOR's hash tag and are changed together by Lua scripts; both keys expire
 * `GRACE_MS` after the AOR's last binding, so a sweep can still report what expired. A global
 * zset of due bindings lets expireBindings() find expired ones without scanning keys.
 */
import { bindingKey, byPreference, type Binding, type BindingIdentity, type BindingStore } from '../binding';
import { requirePositive } from '../state-error';
import type { RedisClient } from './client';
import { indexAdd } from './expiring-index';
import { decodeJson } from './guard';
import { keys } from './keys';
import { LuaScript } from './lua-script';

const GRACE_MS = 300_000;
const SWEEP_BATCH = 500;

/** Shared tail: key TTL = last expiry - now + grace, or delete both keys when empty. */
const RETIME = `local last = redis.call('ZRANGE', KEYS[2], -1, -1, 'WITHSCORES')
if #last == 0 then redis.call('DEL', KEYS[1], KEYS[2]) else
  local ttl = math.max(1, tonumber(last[2]) - tonumber(ARGV[2]) + ${GRACE_MS})
  redis.call('PEXPIRE', KEYS[1], ttl)
  redis.call('PEXPIRE', KEYS[2], ttl)
end`;

// ARGV: field, now, json, expiresAt
const PUT = new LuaScript(
  'binding-put',
  `redis.call('HSET', KEYS[1], ARGV[1], ARGV[3])
redis.call('ZADD', KEYS[2], ARGV[4], ARGV[1])
${RETIME}
return 1`,
);

// ARGV: field, now → 1 when a live binding was removed
const REMOVE = new LuaScript(
  'binding-remove',
  `local s = redis.call('ZSCORE', KEYS[2], ARGV[1])
redis.call('HDEL', KEYS[1], ARGV[1])
redis.call('ZREM', KEYS[2], ARGV[1])
${RETIME}
if s and tonumber(s) > tonumber(ARGV[2]) then return 1 end
return 0`,
);

// ARGV: field-unused, now → JSON of the bindings removed
const PRUNE = new LuaScript(
  'binding-prune',
  `local due = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', ARGV[2])
local out = {}
for _, f in ipairs(due) do
  local v = redis.call('HGET', KEYS[1], f)
  if v then table.insert(out, v) end
  redis.call('HDEL', KEYS[1], f)
  redis.call('ZREM', KEYS[2], f)
end
${RETIME}
return out`,
);

// KEYS[1] = due index; ARGV: now, members… → drops members still due (not refreshed meanwhile)
const FORGET_DUE = new LuaScript(
  'binding-forget-due',
  `for i = 2, #ARGV do
  local s = redis.call('ZSCORE', KEYS[1], ARGV[i])
  if s and tonumber(s) <= tonumber(ARGV[1]) then redis.call('ZREM', KEYS[1], ARGV[i]) end
end
return 1`,
);

const decodeBinding = (text: string): Binding =>
  decodeJson(
    text,
    'binding',
    (v) => typeof v.aor === 'string' && typeof v.contact === 'string' && typeof v.expiresAt === 'number',
  ) as unknown as Binding;

const aorKeys = (aor: string): string[] => [keys.aorBindings(aor), keys.aorExpiry(aor)];
const dueMember = (aor: string, key: string): string => JSON.stringify([aor, key]);

export class RedisBindings implements BindingStore {
  constructor(
    private readonly client: RedisClient,
    private readonly now: () => number,
  ) {}

  async putBinding(b: Binding): Promise<void> {
    requirePositive('expiresAt', b.expiresAt);
    const now = this.now();
    const field = bindingKey(b);
    await Promise.all([
      PUT.run(this.client, aorKeys(b.aor), [field, now, JSON.stringify(b), b.expiresAt]),
      indexAdd(
        this.client,
        keys.bindingsDue(),
        dueMember(b.aor, field),
        b.expiresAt,
        -1, // prune nothing: only the sweep removes due entries, reporting what expired
        b.expiresAt - now + GRACE_MS,
      ),
    ]);
  }

  async removeBinding(aor: string, identity: BindingIdentity): Promise<boolean> {
    const field = bindingKey(identity);
    const [removed] = await Promise.all([
      REMOVE.run(this.client, aorKeys(aor), [field, this.now()]),
      this.client.zrem(keys.bindingsDue(), dueMember(aor, field)),
    ]);
    return removed === 1;
  }

  async getBindings(aor: string): Promise<Binding[]> {
    const now = this.now();
    const texts = await this.client.hvals(keys.aorBindings(aor));
    return texts
      .map(decodeBinding)
      .filter((b) => b.expiresAt > now)
      .sort(byPreference);
  }

  async expireBindings(): Promise<Binding[]> {
    const expired: Binding[] = [];
    for (;;) {
      const now = this.now();
      const due = await this.client.zrangebyscore(keys.bindingsDue(), '-inf', now, 'LIMIT', 0, SWEEP_BATCH);
      const aors = [...new Set(due.map((m) => (JSON.parse(m) as [string, string])[0]))];
      const pruned = await Promise.all(aors.map((aor) => PRUNE.run(this.client, aorKeys(aor), ['', now])));
      for (const list of pruned)
        if (Array.isArray(list)) expired.push(...list.map((t) => decodeBinding(String(t))));
      if (due.length > 0) await FORGET_DUE.run(this.client, [keys.bindingsDue()], [now, ...due]);
      if (due.length < SWEEP_BATCH) return expired.sort((a, b) => a.expiresAt - b.expiresAt);
    }
  }
}
