/**
 * The shared services of the takeover lab, on the `infra` host (192.0.2.40): one real
 * redis-server for both instances' StateStore and one real userspace rtpengine (`--table=-1`)
 * whose ng port both instances use, so media stays on the same engine when B takes a call over.
 * Both are queried from inside `infra`: `redis-cli` for the call records and ng `list` (through
 * ng-list-cli.js) for rtpengine's sessions.
 */
import path from 'node:path';
import { eventually } from '../http';
import type { NsProcess } from '../nat-lab/netns';
import { HOSTS, type TakeoverLab } from './topology';

export const REDIS_PORT = 6379;
export const REDIS_URL = `redis://${HOSTS.infra}:${REDIS_PORT}`;
export const KEY_PREFIX = 'palisade:';
export const NG_PORT = 2223;
export const NG_ADDRESS = `${HOSTS.infra}:${NG_PORT}`;
const NG_LIST_CLI = path.join(__dirname, 'ng-list-cli.js');

export interface Infra {
  readonly redis: NsProcess;
  readonly rtpengine: NsProcess;
  /** One redis-cli command on infra; its trimmed output. */
  redisCli(...args: string[]): Promise<string>;
  /** Call ids listed by the owner index of instance `id` (live members only). */
  callsOwnedBy(id: string): Promise<string[]>;
  /** Call ids rtpengine still has sessions for (ng `list`). */
  rtpengineCalls(): Promise<string[]>;
}

export async function startInfra(lab: TakeoverLab): Promise<Infra> {
  const redis = lab.spawn('infra', 'redis-server', [
    '--port',
    String(REDIS_PORT),
    '--bind',
    HOSTS.infra,
    '--save',
    '',
    '--appendonly',
    'no',
    // the lab's private segment is not the loopback: protected mode would refuse A and B
    '--protected-mode',
    'no',
  ]);
  const rtpengine = lab.spawn('infra', 'rtpengine', [
    '--config-file=none',
    '--foreground',
    '--table=-1',
    `--interface=${HOSTS.infra}`,
    `--listen-ng=${NG_ADDRESS}`,
    '--port-min=30000',
    '--port-max=30199',
    '--log-stderr',
    '--log-level=6',
  ]);
  const redisCli = async (...args: string[]): Promise<string> => {
    const r = await lab.run('infra', 'redis-cli', ['-h', HOSTS.infra, '-p', String(REDIS_PORT), ...args]);
    return r.stdout.trim();
  };
  const rtpengineCalls = async (): Promise<string[]> => {
    const r = await lab.run('infra', process.execPath, [NG_LIST_CLI, HOSTS.infra, String(NG_PORT)]);
    const reply = JSON.parse(r.stdout) as { result?: string; calls?: string[] };
    if (reply.result !== 'ok') throw new Error(`rtpengine list: ${r.stdout}`);
    return reply.calls ?? [];
  };
  await eventually(
    async () => {
      for (const p of [redis, rtpengine]) {
        if (p.child.exitCode !== null) throw new Error(`infra process exited:\n${p.recentOutput()}`);
      }
      if ((await redisCli('PING')) !== 'PONG') throw new Error('redis not answering');
      await rtpengineCalls();
    },
    15_000,
    200,
  );
  return {
    redis,
    rtpengine,
    redisCli,
    async callsOwnedBy(id) {
      const out = await redisCli('ZRANGEBYSCORE', `${KEY_PREFIX}owner:{${id}}`, String(Date.now()), '+inf');
      return out.split('\n').filter((l) => l !== '');
    },
    rtpengineCalls,
  };
}
