/**
 * Redis work per call of the whole SBC (issue 6, Performance): `palisade start` (embedded engine +
 * B2BUA + its own userspace rtpengine) on a real redis-server, N short sipp calls with SDP
 * (bench/sipp/sbc-uac.xml → Palisade → invite-uas.xml), one call at a time (`-l 1`) so that the
 * server's read events are the round trips of one call. Reported per call, from the server's own
 * counters diffed before/after (`INFO commandstats`, `INFO stats` total_reads_processed), with the
 * background work of an idle window of the same length (heartbeats, sweeps) and the cost of
 * reading the counters themselves subtracted. Two configurations: trunks without limits (as
 * bench/sbc-cps.ts runs) and both trunks with `limits: { maxCalls, cps }`.
 *
 *   node dist/bench/redis-ops.js [--calls 200] [--rate 20] [--hold-ms 50] [--configs plain,limits] [--json FILE]
 *
 * Needs sipp, rtpengine, redis-server (./scripts/install-deps.sh) and `npm run build`.
 */
import { execFileSync, spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { eventually, httpGet } from '../test/support/http';
import { freeTcpPort, freeUdpPort } from '../test/support/ports';
import { portBound } from '../test/support/proc-net';
import { startRedis, type TestRedis } from '../test/support/redis-server';
import { palisadeBin, repoRoot } from '../test/support/repo';
import { runSipp, startSippUas } from '../test/support/sipp';
import { BENCH_MEDIA_PORTS, freeNgPort } from './rtpengine-fleet';

const SBC_UAC = path.join(repoRoot, 'bench', 'sipp', 'sbc-uac.xml');

/** Server-side counters: calls per command, read events, commands in all, CPU (µs). */
interface Counters {
  commands: Map<string, number>;
  reads: number;
  total: number;
  cpuUs: number;
}

function redisCli(port: number, ...args: string[]): string {
  return execFileSync('redis-cli', ['-p', String(port), ...args], { encoding: 'utf8' });
}

function snapshot(port: number): Counters {
  const commands = new Map<string, number>();
  for (const m of redisCli(port, 'info', 'commandstats').matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm))
    commands.set(m[1] ?? '?', Number(m[2]));
  const stats = redisCli(port, 'info', 'stats');
  const num = (name: string): number => Number(new RegExp(`^${name}:(\\d+)`, 'm').exec(stats)?.[1] ?? NaN);
  const cpu = redisCli(port, 'info', 'cpu');
  const seconds = (name: string): number =>
    Number(new RegExp(`^${name}:([0-9.]+)`, 'm').exec(cpu)?.[1] ?? NaN);
  return {
    commands,
    reads: num('total_reads_processed'),
    total: num('total_commands_processed'),
    cpuUs: (seconds('used_cpu_sys') + seconds('used_cpu_user')) * 1e6,
  };
}

function diff(a: Counters, b: Counters): Counters {
  const commands = new Map<string, number>();
  for (const [k, v] of b.commands) {
    const d = v - (a.commands.get(k) ?? 0);
    if (d !== 0) commands.set(k, d);
  }
  return { commands, reads: b.reads - a.reads, total: b.total - a.total, cpuUs: b.cpuUs - a.cpuUs };
}

/** a − b·factor, per command. */
function minus(a: Counters, b: Counters, factor: number): Counters {
  const commands = new Map(a.commands);
  for (const [k, v] of b.commands) commands.set(k, (commands.get(k) ?? 0) - v * factor);
  return {
    commands,
    reads: a.reads - b.reads * factor,
    total: a.total - b.total * factor,
    cpuUs: a.cpuUs - b.cpuUs * factor,
  };
}

/** Commands as clients sent them vs as Lua scripts ran them, from a MONITOR stream. */
function startMonitor(port: number, dir: string): { stop(): Promise<Map<string, number>> } {
  const file = path.join(dir, 'monitor.log');
  const fd = openSync(file, 'w');
  const child = spawn('redis-cli', ['-p', String(port), 'monitor'], { stdio: ['ignore', fd, 'ignore'] });
  closeSync(fd);
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => {
      resolve();
    });
  });
  return {
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
      const counts = new Map<string, number>();
      for (const m of readFileSync(file, 'utf8').matchAll(/^[0-9.]+ \[\d+ ([^\]]+)\] "([^"]+)"/gm)) {
        const cmd = m[2]?.toLowerCase() ?? '?';
        if (cmd === 'info') continue;
        const key = m[1] === 'lua' ? `(lua) ${cmd}` : cmd;
        counts.set(key, (counts.get(key) ?? 0) + 1);
      }
      return counts;
    },
  };
}

interface RunningPalisade {
  stop(): Promise<void>;
}

async function startPalisade(redis: TestRedis, uasPort: number, sutPort: number, limits: boolean) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'palisade-redis-ops-'));
  const opsPort = await freeTcpPort();
  const lim = limits ? ', limits: { maxCalls: 10000, cps: 10000 }' : '';
  const yaml = [
    'log: { level: warn }',
    `observe: { http: { address: 127.0.0.1, port: ${opsPort} } }`,
    `sip: { listen: [ { transport: udp, address: 127.0.0.1, port: ${sutPort} } ] }`,
    `engine: { mode: embedded, control: { address: 127.0.0.1, port: ${await freeTcpPort()} } }`,
    'media:',
    `  rtpengines: [ { ng: "127.0.0.1:${await freeNgPort()}" } ]`,
    '  spawnLocal: true',
    `  local: { interface: 127.0.0.1, portMin: ${BENCH_MEDIA_PORTS[0]}, portMax: ${BENCH_MEDIA_PORTS[1]} }`,
    `state: { backend: redis, url: "${redis.url}" }`,
    'trunks:',
    `  - { name: local, inbound: { sources: [ 127.0.0.0/8 ] }${lim} }`,
    `  - { name: carrier, outbound: { gateways: [ { uri: "sip:127.0.0.1:${uasPort}" } ] }${lim} }`,
    'routes:',
    '  - { from: local, to: { trunk: carrier } }',
    '',
  ].join('\n');
  const config = path.join(dir, 'palisade.yaml');
  writeFileSync(config, yaml);
  const logFile = path.join(dir, 'palisade.log');
  const fd = openSync(logFile, 'a');
  const child = spawn(
    '/usr/bin/setpriv',
    ['--pdeathsig', 'KILL', '--', process.execPath, palisadeBin, 'start', '--config', config],
    { stdio: ['ignore', fd, fd] },
  );
  closeSync(fd);
  let exitedWith: string | undefined;
  const exited = new Promise<void>((resolve) =>
    child.once('exit', (code, signal) => {
      exitedWith = `code ${code} signal ${signal}`;
      resolve();
    }),
  );
  await eventually(
    async () => {
      if (exitedWith !== undefined)
        throw new Error(`palisade exited (${exitedWith}): ${readFileSync(logFile, 'utf8').slice(-2000)}`);
      const r = await httpGet(`http://127.0.0.1:${opsPort}/ready`);
      if (r.status !== 200 || !portBound(sutPort, 'udp')) throw new Error(`palisade not ready: ${r.status}`);
    },
    30_000,
    200,
  );
  const running: RunningPalisade = {
    stop: async () => {
      if (exitedWith !== undefined) return;
      child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), 20_000);
      await exited;
      clearTimeout(t);
    },
  };
  return running;
}

interface ConfigResult {
  config: string;
  calls: number;
  successful: number;
  seconds: number;
  /** sent: commands clients sent; total: commands Redis executed (scripts' included). */
  perCall: {
    commands: Record<string, number>;
    sent: number;
    total: number;
    reads: number;
    redisCpuUs: number;
  };
  background: { commands: Record<string, number>; reads: number };
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const round = (n: number): number => Math.round(n * 100) / 100;

interface Options {
  calls: number;
  rate: number;
  holdMs: number;
}

/** One round of `o.calls` calls, one at a time; MONITOR on when `watch`. */
async function callRound(redisPort: number, sutPort: number, o: Options, watch: boolean) {
  const monitor = watch
    ? startMonitor(redisPort, mkdtempSync(path.join(os.tmpdir(), 'palisade-redis-mon-')))
    : undefined;
  await sleep(300);
  const before = snapshot(redisPort);
  const t0 = Date.now();
  const uac = await runSipp({
    scenario: SBC_UAC,
    remote: { host: '127.0.0.1', port: sutPort },
    calls: o.calls,
    rate: o.rate,
    maxConcurrent: 1,
    pauseMs: o.holdMs,
    traceMessages: false,
    timeoutMs: 600_000,
  });
  await sleep(1000); // the last call's teardown
  const during = diff(before, snapshot(redisPort));
  const sent = await monitor?.stop();
  return { during, sent, seconds: (Date.now() - t0) / 1000, successful: uac.stats.successful };
}

async function measure(config: string, o: Options): Promise<ConfigResult> {
  const redis = await startRedis();
  const uasPort = await freeUdpPort();
  const sutPort = await freeUdpPort();
  const sbc = await startPalisade(redis, uasPort, sutPort, config === 'limits');
  try {
    // the cost of reading the counters (two redis-cli INFO connections)
    const probe = diff(snapshot(redis.port), snapshot(redis.port));
    const uas = await startSippUas({ scenario: 'invite-uas.xml', localPort: uasPort, traceMessages: false });
    // commands as sent (MONITOR), then counters and CPU without MONITOR's own cost
    const watched = await callRound(redis.port, sutPort, o, true);
    const plain = await callRound(redis.port, sutPort, o, false);
    await uas.stop(2000);
    // background work over an idle window of the same length
    const idle0 = snapshot(redis.port);
    await sleep(plain.seconds * 1000);
    const idle = minus(diff(idle0, snapshot(redis.port)), probe, 1);
    const work = minus(minus(plain.during, probe, 1), idle, 1);
    const n = Math.max(1, plain.successful);
    const nw = Math.max(1, watched.successful);
    // what clients sent, and what their scripts ran inside Redis (MONITOR shows both)
    const sent = watched.sent ?? new Map<string, number>();
    const commands: Record<string, number> = {};
    for (const [k, v] of [...sent].sort((a, b) => a[0].localeCompare(b[0])))
      if (v / nw >= 0.01) commands[k] = round(v / nw);
    const clientCommands = [...sent].filter(([k]) => !k.startsWith('(lua)')).reduce((t, [, v]) => t + v, 0);
    return {
      config,
      calls: o.calls,
      successful: Math.min(watched.successful, plain.successful),
      seconds: round(plain.seconds),
      perCall: {
        commands,
        sent: round(clientCommands / nw),
        total: round(work.total / n),
        reads: round(work.reads / n),
        redisCpuUs: round(work.cpuUs / n),
      },
      background: { commands: Object.fromEntries(idle.commands), reads: idle.reads },
    };
  } finally {
    await sbc.stop();
    await redis.stop();
  }
}

function report(results: readonly ConfigResult[]): string {
  const lua = (c: string): number => (c.startsWith('(lua)') ? 1 : 0);
  const names = [...new Set(results.flatMap((r) => Object.keys(r.perCall.commands)))].sort(
    (a, b) => lua(a) - lua(b) || a.localeCompare(b),
  );
  const rows = [
    ['per call', ...results.map((r) => r.config)],
    ['calls ok / placed', ...results.map((r) => `${r.successful}/${r.calls}`)],
    ...names.map((c) => [`  ${c}`, ...results.map((r) => String(r.perCall.commands[c] ?? 0))]),
    ['commands sent', ...results.map((r) => String(r.perCall.sent))],
    ['commands executed (incl. Lua)', ...results.map((r) => String(r.perCall.total))],
    ['read events (round trips)', ...results.map((r) => String(r.perCall.reads))],
    ['redis-server CPU µs (noisy)', ...results.map((r) => String(r.perCall.redisCpuUs))],
  ];
  const width = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  return rows.map((r) => r.map((c, i) => c.padEnd(width[i] ?? 0)).join('  ')).join('\n');
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      calls: { type: 'string', default: '200' },
      rate: { type: 'string', default: '20' },
      'hold-ms': { type: 'string', default: '50' },
      configs: { type: 'string', default: 'plain,limits' },
      json: { type: 'string' },
    },
  });
  const o = { calls: Number(values.calls), rate: Number(values.rate), holdMs: Number(values['hold-ms']) };
  const results: ConfigResult[] = [];
  for (const config of values.configs.split(',').map((c) => c.trim())) {
    if (config !== 'plain' && config !== 'limits') throw new Error(`unknown config ${config}`);
    const r = await measure(config, o);
    process.stderr.write(`${config}: ${JSON.stringify(r)}\n`);
    results.push(r);
  }
  if (values.json !== undefined) writeFileSync(values.json, JSON.stringify(results, null, 2));
  process.stdout.write(
    `Redis work per call (MONITOR + server counters, idle background subtracted, one call at a time)\n${report(results)}\n`,
  );
}

if (require.main === module) {
  main().catch((e: unknown) => {
    process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exitCode = 1;
  });
}
