/** Builds the ioredis client for a standalone URL, a Sentinel-managed master or a Cluster. */
import { Cluster, Redis, type RedisOptions } from 'ioredis';

export type RedisClient = Redis | Cluster;

export type RedisTarget =
  | { url: string }
  | { sentinels: { name: string; hosts: readonly string[]; password?: string } }
  | { cluster: { nodes: readonly string[] } };

export interface RedisClientOptions {
  target: RedisTarget;
  password?: string;
  username?: string;
  /** TLS to Redis (also implied by a rediss:// URL). */
  tls?: boolean;
  /** Prepended to every key; must not contain braces (they would break hash tags). */
  keyPrefix: string;
  connectTimeoutMs?: number;
  /** A command not answered within this time fails with STATE_UNREACHABLE (default 2000). */
  commandTimeoutMs?: number;
}

function hostPort(text: string): { host: string; port: number } {
  const i = text.lastIndexOf(':');
  return { host: text.slice(0, i).replace(/^\[|\]$/g, ''), port: Number(text.slice(i + 1)) };
}

export function createClient(o: RedisClientOptions): RedisClient {
  const common: RedisOptions = {
    lazyConnect: true,
    keyPrefix: o.keyPrefix,
    connectTimeout: o.connectTimeoutMs ?? 5000,
    commandTimeout: o.commandTimeoutMs ?? 2000,
    maxRetriesPerRequest: 2,
    // Fail fast while disconnected, and never send a command again after its caller was told it
    // failed: a queued or re-sent write could land late or twice (a CPS token, a call slot).
    enableOfflineQueue: false,
    autoResendUnfulfilledCommands: false,
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
    enableOfflineQueue: false,
    keyPrefix: o.keyPrefix,
    redisOptions: common,
  });
}
