/**
 * Redis-backed StateStore (ioredis). Standalone URL, Sentinel or Cluster. ioredis reconnects by
 * itself; we surface its connection state as health so readiness follows Redis.
 */
import { Cluster, Redis, type RedisOptions } from 'ioredis';
import { PalisadeError, toError } from '../util/errors';
import type { Log } from '../util/logger';
import type { StateHealth, StateStore } from './state-store';

export type RedisTarget =
  | { url: string }
  | { sentinels: { name: string; hosts: readonly string[]; password?: string } }
  | { cluster: { nodes: readonly string[] } };

export interface RedisStoreOptions {
  target: RedisTarget;
  password?: string;
  username?: string;
  /** TLS to Redis (also implied by a rediss:// URL). */
  tls?: boolean;
  keyPrefix: string;
  connectTimeoutMs?: number;
  log: Log;
}

function hostPort(text: string): { host: string; port: number } {
  const i = text.lastIndexOf(':');
  return { host: text.slice(0, i).replace(/^\[|\]$/g, ''), port: Number(text.slice(i + 1)) };
}

function createClient(o: RedisStoreOptions): Redis | Cluster {
  const common: RedisOptions = {
    lazyConnect: true,
    keyPrefix: o.keyPrefix,
    connectTimeout: o.connectTimeoutMs ?? 5000,
    maxRetriesPerRequest: 2,
    retryStrategy: (times) => Math.min(100 * 2 ** Math.min(times, 5), 2000),
    ...(o.password === undefined ? {} : { password: o.password }),
    ...(o.username === undefined ? {} : { username: o.username }),
    ...(o.tls ? { tls: {} } : {}),
  };
  const t = o.target;
  if ('url' in t) return new Redis(t.url, common);
  if ('sentinels' in t)
    return new Redis({
      ...common,
      name: t.sentinels.name,
      sentinels: t.sentinels.hosts.map(hostPort),
      ...(t.sentinels.password === undefined ? {} : { sentinelPassword: t.sentinels.password }),
    });
  return new Cluster(t.cluster.nodes.map(hostPort), {
    lazyConnect: true,
    keyPrefix: o.keyPrefix,
    redisOptions: common,
  });
}

export class RedisStateStore implements StateStore {
  readonly kind = 'redis' as const;
  private readonly client: Redis | Cluster;
  private readonly listeners: ((h: StateHealth) => void)[] = [];

  constructor(private readonly o: RedisStoreOptions) {
    this.client = createClient(o);
    this.client.on('ready', () => {
      this.emit({ up: true, detail: 'connected' });
    });
    this.client.on('close', () => {
      this.emit({ up: false, detail: 'connection closed' });
    });
    this.client.on('error', (e: unknown) => {
      o.log.warn({ err: toError(e) }, 'redis error');
    });
  }

  async connect(): Promise<void> {
    try {
      await this.client.connect();
    } catch (e) {
      // ioredis keeps retrying in the background; readiness stays down until it succeeds.
      throw new PalisadeError('STATE_UNREACHABLE', `redis: ${toError(e).message}`, { cause: e });
    }
  }

  async ping(): Promise<void> {
    try {
      await this.client.ping();
    } catch (e) {
      throw new PalisadeError('STATE_UNREACHABLE', `redis ping: ${toError(e).message}`, { cause: e });
    }
  }

  onHealth(listener: (h: StateHealth) => void): void {
    this.listeners.push(listener);
  }

  async close(): Promise<void> {
    try {
      await this.client.quit();
    } catch (e) {
      this.o.log.debug({ err: toError(e) }, 'redis quit failed; disconnecting');
      this.client.disconnect();
    }
  }

  private emit(h: StateHealth): void {
    for (const l of this.listeners) l(h);
  }
}
