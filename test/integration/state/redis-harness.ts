/**
 * A StateStoreHarness over any Redis topology (standalone, Sentinel, Cluster): each `open()` gets
 * a fresh key prefix; a peer is a second client on the same prefix, i.e. another instance.
 */
import { silentLog } from '../../../lib/util/logger';
import { RedisStateStore, type RedisTarget } from '../../../lib/state/redis-store';
import type { StateStore } from '../../../lib/state/state-store';
import type { StateStoreHarness } from './contract';

let seq = 0;

export function redisHarness(target: () => RedisTarget): StateStoreHarness {
  const opened: StateStore[] = [];
  const prefixes = new WeakMap<StateStore, string>();
  const openStore = async (keyPrefix: string): Promise<RedisStateStore> => {
    const store = new RedisStateStore({ target: target(), keyPrefix, log: silentLog });
    opened.push(store);
    prefixes.set(store, keyPrefix);
    await store.connect();
    return store;
  };
  return {
    open: () => openStore(`h${process.pid}-${++seq}:`),
    peer: (store) => openStore(prefixes.get(store) ?? 'missing:'),
    closeAll: async () => {
      await Promise.all(opened.splice(0).map((s) => s.close()));
    },
  };
}
