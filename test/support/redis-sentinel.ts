/**
 * A real Sentinel-managed Redis: one master, one replica and 1..3 redis-sentinel processes
 * (quorum 1, fast failure detection) on free loopback ports; configs in a temp dir that stop()
 * removes with every process. `killMaster()` + `waitForFailover()` exercise a promotion.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { spawnBound, type BoundChild } from '../../lib/util/bound-child';
import { eventually } from './http';
import { freeTcpPort } from './ports';
import { redisCli } from './redis-cluster';
import { waitForRedisPort } from './redis-server';

export const SENTINEL_MASTER_NAME = 'palisade-test';

export interface TestRedisSentinel {
  name: string;
  /** "127.0.0.1:port" of every sentinel. */
  sentinels: string[];
  /** The port the sentinels currently name as master. */
  masterPort(): Promise<number>;
  /** SIGKILL the current master (no restart). */
  killMaster(): Promise<number>;
  /** Wait until the sentinels name a master other than `oldPort` and it accepts writes. */
  waitForFailover(oldPort: number, timeoutMs?: number): Promise<number>;
  stop(): Promise<void>;
}

function redisArgs(port: number, dir: string, extra: string[] = []): string[] {
  return [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--dir',
    dir,
    '--save',
    '',
    '--appendonly',
    'no',
    ...extra,
  ];
}

export async function startRedisSentinel(sentinelCount = 1): Promise<TestRedisSentinel> {
  const dir = mkdtempSync(path.join(tmpdir(), 'palisade-redis-sentinel-'));
  const servers = new Map<number, BoundChild>();
  const sentinels: BoundChild[] = [];
  const stop = async (): Promise<void> => {
    await Promise.all([...sentinels.splice(0), ...servers.values()].map((c) => c.stop()));
    servers.clear();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const masterPort = await freeTcpPort();
    const replicaPort = await freeTcpPort();
    servers.set(masterPort, spawnBound('redis-server', redisArgs(masterPort, dir)));
    await waitForRedisPort(masterPort, 10_000);
    servers.set(
      replicaPort,
      spawnBound(
        'redis-server',
        redisArgs(replicaPort, dir, ['--replicaof', '127.0.0.1', String(masterPort)]),
      ),
    );
    await waitForRedisPort(replicaPort, 10_000);
    await eventually(async () => {
      const info = await redisCli(replicaPort, 'info', 'replication');
      if (!/master_link_status:up/.test(info)) throw new Error(`replica not in sync: ${info}`);
    }, 15_000);
    const sentinelPorts: number[] = [];
    for (let i = 0; i < sentinelCount; i++) {
      const port = await freeTcpPort();
      const file = path.join(dir, `sentinel-${i}.conf`);
      writeFileSync(
        file,
        [
          `port ${port}`,
          'bind 127.0.0.1',
          `dir ${dir}`,
          `sentinel monitor ${SENTINEL_MASTER_NAME} 127.0.0.1 ${masterPort} 1`,
          `sentinel down-after-milliseconds ${SENTINEL_MASTER_NAME} 1000`,
          `sentinel failover-timeout ${SENTINEL_MASTER_NAME} 5000`,
          `sentinel parallel-syncs ${SENTINEL_MASTER_NAME} 1`,
          '',
        ].join('\n'),
      );
      sentinels.push(spawnBound('redis-sentinel', [file]));
      sentinelPorts.push(port);
    }
    await Promise.all(sentinelPorts.map((p) => waitForRedisPort(p, 10_000)));
    const first = sentinelPorts[0] ?? 0;
    const masterPortNow = async (): Promise<number> => {
      const out = await redisCli(first, 'sentinel', 'get-master-addr-by-name', SENTINEL_MASTER_NAME);
      return Number(out.trim().split('\n')[1]);
    };
    // The sentinels must know the replica before a failover can promote it.
    await eventually(async () => {
      const out = await redisCli(first, 'sentinel', 'replicas', SENTINEL_MASTER_NAME);
      if (!out.includes(String(replicaPort))) throw new Error('sentinel has not discovered the replica');
    }, 15_000);
    return {
      name: SENTINEL_MASTER_NAME,
      sentinels: sentinelPorts.map((p) => `127.0.0.1:${p}`),
      masterPort: masterPortNow,
      killMaster: async () => {
        const port = await masterPortNow();
        await servers.get(port)?.stop(0);
        servers.delete(port);
        return port;
      },
      waitForFailover: (oldPort, timeoutMs = 30_000) =>
        eventually(
          async () => {
            const port = await masterPortNow();
            if (port === oldPort) throw new Error('no failover yet');
            const role = await redisCli(port, 'role');
            if (!role.startsWith('master')) throw new Error(`${port} is not master yet: ${role}`);
            return port;
          },
          timeoutMs,
          200,
        ),
      stop,
    };
  } catch (e) {
    await stop();
    throw e;
  }
}
