/** Builds the configured StateStore and feeds its health into readiness. */
import type { StateConfig } from '../config';
import type { Log } from '../util/logger';
import { toError } from '../util/errors';
import type { Readiness } from '../observe/readiness';
import { MemoryStateStore } from '../state/memory-store';
import { RedisStateStore, type RedisTarget } from '../state/redis-store';
import type { StateStore } from '../state/state-store';
import type { Closers } from './closers';

function redisTarget(state: Extract<StateConfig, { backend: 'redis' }>): RedisTarget {
  if (state.sentinels)
    return {
      sentinels: {
        name: state.sentinels.name,
        hosts: state.sentinels.hosts,
        ...(state.sentinels.password === undefined ? {} : { password: state.sentinels.password }),
      },
    };
  if (state.cluster) return { cluster: { nodes: state.cluster.nodes } };
  return { url: state.url ?? 'redis://127.0.0.1:6379' };
}

export function createStateStore(state: StateConfig, log: Log): StateStore {
  if (state.backend === 'memory') return new MemoryStateStore();
  return new RedisStateStore({
    target: redisTarget(state),
    keyPrefix: state.keyPrefix,
    tls: state.tls,
    log: log.child({ component: 'state' }),
    ...(state.password === undefined ? {} : { password: state.password }),
    ...(state.username === undefined ? {} : { username: state.username }),
  });
}

/** Connects; an unreachable Redis leaves the process running but not ready while ioredis retries. */
export async function startState(
  state: StateConfig,
  deps: { log: Log; readiness: Readiness; closers: Closers },
): Promise<StateStore> {
  const store = createStateStore(state, deps.log);
  deps.readiness.declare('state', true, `${store.kind}: connecting`);
  store.onHealth((h) => {
    deps.readiness.report('state', h.up, `${store.kind}: ${h.detail}`);
  });
  deps.closers.add('state', () => store.close());
  try {
    await store.connect();
  } catch (e) {
    deps.log.warn({ err: toError(e) }, 'state backend not reachable yet; will keep retrying');
  }
  return store;
}
