/** A real redis-server on a free loopback port, bound to the test process's lifetime. */
import { spawnBound, type BoundChild } from '../../lib/util/bound-child';
import { freeTcpPort } from './ports';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

export interface TestRedis {
  port: number;
  url: string;
  stop(): Promise<void>;
  /** Start again on the same port (after stop), e.g. to test reconnects. */
  restart(): Promise<void>;
}

/** Resolves once something accepts TCP connections on 127.0.0.1:port. */
export function waitForRedisPort(port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const attempt = (): void => {
      const s = net.connect(port, '127.0.0.1');
      s.once('connect', () => {
        s.destroy();
        resolve();
      });
      s.once('error', () => {
        s.destroy();
        if (Date.now() > deadline) reject(new Error(`redis-server did not open port ${port}`));
        else setTimeout(attempt, 50);
      });
    };
    attempt();
  });
}

/** Data directory of a persistent server, removed when the test process exits. */
function persistentDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'palisade-redis-'));
  process.once('exit', () => {
    rmSync(dir, { recursive: true, force: true });
  });
  return dir;
}

/**
 * `persist: true` keeps the data across stop()/restart() (append-only file, fsync on every write),
 * so a restart looks like a Redis that was down for a while rather than one that lost everything.
 */
export async function startRedis(o: { persist?: boolean } = {}): Promise<TestRedis> {
  const port = await freeTcpPort();
  const persistence = o.persist
    ? ['--appendonly', 'yes', '--appendfsync', 'always', '--dir', persistentDir()]
    : ['--appendonly', 'no'];
  let child: BoundChild | undefined;
  const launch = async (): Promise<void> => {
    child = spawnBound('redis-server', [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      ...persistence,
    ]);
    await waitForRedisPort(port, 10_000);
  };
  await launch();
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    stop: async () => {
      await child?.stop();
    },
    restart: launch,
  };
}
