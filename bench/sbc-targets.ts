/**
 * The systems under test of bench/sbc-cps.ts: sipp-direct, Kamailio + its own userspace rtpengine
 * (bench/kamailio/kamailio-rtpengine.cfg) and Palisade (`palisade start` with a generated config,
 * its spawned rtpengine, a Redis state backend), each with its processes by role for CPU and RSS.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnBound } from '../lib/util/bound-child';
import { eventually, httpGet } from '../test/support/http';
import { freeTcpPort } from '../test/support/ports';
import { portBound, processCpuSeconds } from '../test/support/proc-net';
import { startRedis, type TestRedis } from '../test/support/redis-server';
import { palisadeBin, repoRoot } from '../test/support/repo';
import { KAMAILIO_BIN, palisadeNodeFlags, processTree, treeCpuSeconds } from './call-load';
import {
  BENCH_MEDIA_PORTS,
  RTPENGINE_BIN,
  RTPENGINE_EXTRA,
  freeNgPort,
  ngReady,
  ngSessions,
  rtpengineArgv,
  rtpengineWrapper,
  startRtpengineFleet,
  type RtpengineFleet,
} from './rtpengine-fleet';

const KAMAILIO_RTPENGINE_CFG = path.join(repoRoot, 'bench', 'kamailio', 'kamailio-rtpengine.cfg');

/** A running system under test with its processes by role (CPU seconds of each). */
export interface RunningSbc {
  port: number;
  /** Several instances driven together (bench/scale-cps.ts): one sipp UAC per port, the rate split. */
  uacPorts?: readonly number[];
  pid?: number;
  /** Role → CPU seconds so far (each role one process or one process tree). */
  cpu: Record<string, () => number>;
  /** Role → pid for RSS. */
  pids: () => Record<string, number | undefined>;
  /**
   * What the target still holds of earlier calls, when it can tell: the rest between trials waits
   * for 0, at most `restMs` (default: restBetweenTrials').
   */
  held?: { count: () => Promise<number | undefined>; restMs?: number };
  /** Palisade: warnings/errors logged since the last call (summary lines). */
  logProblems?: () => string[];
  redisInfo?: () => { usedMemory: number; keys: number } | undefined;
  opsUrl?: string;
  stop(): Promise<void>;
}

export interface Target {
  name: string;
  note: string;
  start(uasPort: number, sutPort: number): Promise<RunningSbc>;
  /** The same target with `rtpengines` media engines in all (for holding more calls). */
  withRtpengines?(rtpengines: number): Target;
}

// ---------------------------------------------------------------------------------------------
// processes

function comm(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return '';
  }
}

export function findInTree(root: number, name: string): number | undefined {
  return processTree(root).find((p) => p !== root && comm(p) === name);
}

export function kamailioRtpengineTarget(children: number): Target {
  return {
    name: 'kamailio-rtpengine',
    note:
      `Kamailio (Debian) tm+rr stateful proxy, record-route, rtpengine_manage(), ${children} UDP workers ` +
      `(bench/kamailio/kamailio-rtpengine.cfg) + its own userspace rtpengine (ports ${BENCH_MEDIA_PORTS.join('-')}, ${RTPENGINE_EXTRA.join(' ')})`,
    start: async (uasPort, sutPort) => {
      const ng = await freeNgPort();
      const rtp = spawnBound(RTPENGINE_BIN, rtpengineArgv(ng, BENCH_MEDIA_PORTS[0], BENCH_MEDIA_PORTS[1]));
      await ngReady(ng, 10_000);
      const runtime = mkdtempSync(path.join(os.tmpdir(), 'palisade-kamailio-'));
      const kam = spawnBound(KAMAILIO_BIN, [
        ...['-f', KAMAILIO_RTPENGINE_CFG, '-D', '-E', '-Y', runtime, '-w', runtime, '-m', '256', '-M', '16'],
        ...['-A', 'NO_DEFAULT_LISTEN', '-l', `udp:127.0.0.1:${sutPort}`, '-n', String(children)],
        ...['-A', `UAS_DU="sip:127.0.0.1:${uasPort}"`, '-A', `RTPENGINE_SOCK="udp:127.0.0.1:${ng}"`],
      ]);
      let exited = false;
      void kam.exited.then(() => (exited = true));
      try {
        await eventually(
          () => {
            if (exited) throw new Error(`kamailio exited: ${kam.recentOutput()}`);
            if (!portBound(sutPort, 'udp')) throw new Error(`kamailio does not listen on udp ${sutPort}`);
          },
          15_000,
          50,
        );
      } catch (e) {
        await rtp.stop(2000);
        throw e;
      }
      return {
        port: sutPort,
        pid: kam.pid,
        cpu: { sut: () => treeCpuSeconds(kam.pid), rtpengine: () => processCpuSeconds(rtp.pid) ?? 0 },
        pids: () => ({ sut: kam.pid, rtpengine: rtp.pid }),
        // calls of an overloaded trial whose delete never came stay in rtpengine until its 60 s
        // no-media timeout; a next trial on a port range full of them measures that, not Kamailio
        held: { count: () => ngSessions(ng), restMs: 75_000 },
        stop: async () => {
          await kam.stop(3000);
          await rtp.stop(3000);
        },
      };
    },
  };
}

export const sippDirect: Target = {
  name: 'sipp-direct',
  note: 'sipp UAC → sipp UAS, no proxy (ceiling of the load generator)',
  start: (uasPort) =>
    Promise.resolve({ port: uasPort, cpu: {}, pids: () => ({}), stop: () => Promise.resolve() }),
};

export interface LogLine {
  level?: unknown;
  msg?: unknown;
  [k: string]: unknown;
}

function levelOf(l: LogLine): string {
  const v = l.level;
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return v >= 60 ? 'fatal' : v >= 50 ? 'error' : v >= 40 ? 'warn' : 'info';
  return '?';
}

export interface PalisadeSbcOptions {
  name?: string;
  /** State backend (default redis). */
  state?: 'memory' | 'redis';
  /** A shared redis-server (not stopped with the instance); default: one of its own. */
  redis?: { url: string; port: number };
  /** instance.id (instances sharing a Redis need distinct ones). */
  instanceId?: string;
  /** rtpengine port range (default BENCH_MEDIA_PORTS, rtpengine-fleet.ts). */
  mediaPorts?: readonly [number, number];
  /** `engine.thread` (default: the config default, worker). */
  engineThread?: 'main' | 'worker';
  /** Extra node flags for the Palisade process (e.g. --cpu-prof --cpu-prof-dir=DIR for profiling). */
  nodeFlags?: readonly string[];
  /** rtpengines started beside the local one and listed in media.rtpengines (rtpengine-fleet.ts). */
  extraRtpengines?: number;
  /**
   * media.mediaTimeout.seconds (and the extra engines' --timeout). The benches send no RTP: calls
   * held longer than the default 60 s would be ended as media timeouts.
   */
  noMediaTimeoutSeconds?: number;
}

/** Transactions and dialogs `palisade start`'s engine holds (its /metrics gauges). */
async function heldByEngine(opsUrl: string): Promise<number | undefined> {
  const r = await httpGet(`${opsUrl}/metrics`).catch(() => undefined);
  if (r?.status !== 200) return undefined;
  let held = 0;
  for (const m of r.body.matchAll(/^palisade_engine_(?:transactions\{[^}]*\}|dialogs) (\d+)$/gm))
    held += Number(m[1]);
  return held;
}

export function palisadeTarget(o: PalisadeSbcOptions = {}): Target {
  const redisState = o.state !== 'memory';
  const [portMin, portMax] = o.mediaPorts ?? BENCH_MEDIA_PORTS;
  return {
    name: o.name ?? 'palisade',
    withRtpengines: (n) =>
      palisadeTarget({ ...o, extraRtpengines: Math.max(0, n - 1), noMediaTimeoutSeconds: 3600 }),
    note:
      `\`palisade start\` (embedded engine${o.engineThread === 'main' ? ' in the B2BUA thread' : ' in a worker thread'} + B2BUA, ` +
      'log level info with one CDR line per call), ' +
      `its own userspace rtpengine (ports ${portMin}-${portMax}, ${RTPENGINE_EXTRA.join(' ')} through a wrapper script), ` +
      (redisState
        ? `Redis state backend (${o.redis ? 'a shared' : 'its own'} redis-server on loopback)`
        : 'memory state backend'),
    start: async (uasPort, sutPort) => {
      const fleet: RtpengineFleet | undefined =
        (o.extraRtpengines ?? 0) > 0
          ? await startRtpengineFleet(o.extraRtpengines ?? 0, o.noMediaTimeoutSeconds)
          : undefined;
      const ownRedis: TestRedis | undefined = redisState && !o.redis ? await startRedis() : undefined;
      const redis = o.redis ?? ownRedis;
      const dir = mkdtempSync(path.join(os.tmpdir(), 'palisade-sbc-cps-'));
      const opsPort = await freeTcpPort();
      const yaml = [
        ...(o.instanceId === undefined ? [] : [`instance: { id: ${o.instanceId} }`]),
        'log: { level: info }',
        `observe: { http: { address: 127.0.0.1, port: ${opsPort} } }`,
        `sip: { listen: [ { transport: udp, address: 127.0.0.1, port: ${sutPort} } ] }`,
        `engine: { mode: embedded, control: { address: 127.0.0.1, port: ${await freeTcpPort()} }${o.engineThread === undefined ? '' : `, thread: ${o.engineThread}`} }`,
        'media:',
        `  rtpengines: [ ${[`127.0.0.1:${await freeNgPort()}`, ...(fleet?.ng ?? [])].map((ng) => `{ ng: "${ng}" }`).join(', ')} ]`,
        '  spawnLocal: true',
        ...(o.noMediaTimeoutSeconds === undefined
          ? []
          : [`  mediaTimeout: { seconds: ${o.noMediaTimeoutSeconds} }`]),
        `  local: { binary: "${rtpengineWrapper(dir)}", interface: 127.0.0.1, portMin: ${portMin}, portMax: ${portMax} }`,
        redis ? `state: { backend: redis, url: "${redis.url}" }` : 'state: { backend: memory }',
        'trunks:',
        '  - { name: local, inbound: { sources: [ 127.0.0.0/8 ] } }',
        `  - { name: carrier, outbound: { gateways: [ { uri: "sip:127.0.0.1:${uasPort}" } ] } }`,
        'routes:',
        '  - { from: local, to: { trunk: carrier } }',
        '',
      ].join('\n');
      const config = path.join(dir, 'palisade.yaml');
      writeFileSync(config, yaml);
      const logFile = path.join(dir, 'palisade.log');
      const fd = openSync(logFile, 'a');
      const child: ChildProcess = spawn(
        '/usr/bin/setpriv',
        [
          '--pdeathsig',
          'KILL',
          '--',
          process.execPath,
          ...palisadeNodeFlags(),
          ...(o.nodeFlags ?? []),
          palisadeBin,
          'start',
          '--config',
          config,
        ],
        { stdio: ['ignore', fd, fd] },
      );
      closeSync(fd);
      const pid = child.pid ?? 0;
      let exitedWith: string | undefined;
      const exited = new Promise<void>((resolve) =>
        child.once('exit', (code, signal) => {
          exitedWith = `code ${code} signal ${signal}`;
          resolve();
        }),
      );
      const opsUrl = `http://127.0.0.1:${opsPort}`;
      const tail = (): string => readFileSync(logFile, 'utf8').split('\n').slice(-10).join('\n');
      try {
        await eventually(
          async () => {
            if (exitedWith !== undefined) throw new Error(`palisade exited (${exitedWith}): ${tail()}`);
            const r = await httpGet(`${opsUrl}/ready`);
            if (r.status !== 200 || !portBound(sutPort, 'udp'))
              throw new Error(`palisade not ready: ${r.status}`);
          },
          30_000,
          200,
        );
      } catch (e) {
        // the next path must not share the machine with what this one started
        child.kill('SIGKILL');
        await ownRedis?.stop();
        await fleet?.stop();
        throw e;
      }
      // the start-up banner (stderr) is not a problem: count from here
      let logOffset = readFileSync(logFile, 'utf8').length;
      const redisPid = redis && processTree(process.pid).find((p) => comm(p) === 'redis-server');
      return {
        port: sutPort,
        pid,
        opsUrl,
        held: { count: () => heldByEngine(opsUrl) },
        cpu: {
          sut: () => processCpuSeconds(pid) ?? 0,
          rtpengine: () => {
            const r = findInTree(pid, 'rtpengine');
            return r === undefined ? 0 : (processCpuSeconds(r) ?? 0);
          },
          ...(redisPid === undefined ? {} : { redis: () => processCpuSeconds(redisPid) ?? 0 }),
        },
        pids: () => ({
          sut: pid,
          rtpengine: findInTree(pid, 'rtpengine'),
          ...Object.fromEntries((fleet?.pids ?? []).map((p, i) => [`rtpengine ${i + 2}`, p])),
          ...(redisPid === undefined ? {} : { redis: redisPid }),
        }),
        logProblems: () => {
          const text = readFileSync(logFile, 'utf8');
          const fresh = text.slice(logOffset);
          logOffset = text.length;
          const counts = new Map<string, number>();
          const samples = new Map<string, string>();
          for (const raw of fresh.split('\n')) {
            if (raw.trim() === '') continue;
            let l: LogLine;
            try {
              l = JSON.parse(raw) as LogLine;
            } catch {
              l = { level: 'stderr', msg: raw.slice(0, 200) };
            }
            const lv = levelOf(l);
            if (lv === 'info' || lv === 'debug' || lv === 'trace') continue;
            const key = `${lv}: ${String(l.msg)}`;
            counts.set(key, (counts.get(key) ?? 0) + 1);
            if (!samples.has(key)) samples.set(key, raw.slice(0, 600));
          }
          return [...counts].map(([k, n]) => `${n} × ${k}  e.g. ${samples.get(k) ?? ''}`);
        },
        redisInfo: () => {
          if (!redis) return undefined;
          try {
            const port = String(redis.port);
            const info = execFileSync('redis-cli', ['-p', port, 'info', 'memory'], { encoding: 'utf8' });
            const keys = execFileSync('redis-cli', ['-p', port, 'dbsize'], { encoding: 'utf8' });
            return {
              usedMemory: Number(/used_memory:(\d+)/.exec(info)?.[1] ?? NaN),
              keys: Number(keys.trim()),
            };
          } catch {
            return undefined;
          }
        },
        stop: async () => {
          if (exitedWith === undefined) {
            child.kill('SIGTERM');
            const t = setTimeout(() => child.kill('SIGKILL'), 20_000);
            await exited;
            clearTimeout(t);
          }
          await ownRedis?.stop();
          await fleet?.stop();
        },
      };
    },
  };
}
