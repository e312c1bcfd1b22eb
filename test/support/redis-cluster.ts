/**
 * A real Redis Cluster of three local redis-server masters (no replicas), created with
 * `redis-cli --cluster create`, each node and its nodes.conf in a temp dir that stop() removes.
 * Cluster bus ports are chosen explicitly (`cluster-port`) so they never fall outside 1..65535.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { spawnBound, type BoundChild } from '../../lib/util/bound-child';
import { eventually } from './http';
import { freeTcpPort } from './ports';
import { waitForRedisPort } from './redis-server';

const run = promisify(execFile);

export interface TestRedisCluster {
  /** "127.0.0.1:port" of every master. */
  nodes: string[];
  stop(): Promise<void>;
}

/** `redis-cli -p port args…` and its stdout. */
export async function redisCli(port: number, ...args: string[]): Promise<string> {
  const { stdout } = await run('redis-cli', ['-h', '127.0.0.1', '-p', String(port), ...args], {
    timeout: 10_000,
  });
  return stdout;
}

export async function startRedisCluster(size = 3): Promise<TestRedisCluster> {
  const dir = mkdtempSync(path.join(tmpdir(), 'palisade-redis-cluster-'));
  const children: BoundChild[] = [];
  const ports: number[] = [];
  const stop = async (): Promise<void> => {
    await Promise.all(children.splice(0).map((c) => c.stop()));
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    for (let i = 0; i < size; i++) {
      const port = await freeTcpPort();
      const busPort = await freeTcpPort();
      const nodeDir = path.join(dir, `node-${i}`);
      mkdirSync(nodeDir);
      children.push(
        spawnBound('redis-server', [
          '--port',
          String(port),
          '--bind',
          '127.0.0.1',
          '--cluster-enabled',
          'yes',
          '--cluster-port',
          String(busPort),
          '--cluster-config-file',
          path.join(nodeDir, 'nodes.conf'),
          '--cluster-node-timeout',
          '2000',
          '--dir',
          nodeDir,
          '--save',
          '',
          '--appendonly',
          'no',
        ]),
      );
      ports.push(port);
    }
    await Promise.all(ports.map((p) => waitForRedisPort(p, 10_000)));
    const nodes = ports.map((p) => `127.0.0.1:${p}`);
    await run('redis-cli', ['--cluster', 'create', ...nodes, '--cluster-replicas', '0', '--cluster-yes'], {
      timeout: 30_000,
    });
    await eventually(
      async () => {
        for (const p of ports) {
          const info = await redisCli(p, 'cluster', 'info');
          if (!/cluster_state:ok/.test(info)) throw new Error(`node ${p} not ready: ${info}`);
        }
      },
      20_000,
      200,
    );
    return { nodes, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}
