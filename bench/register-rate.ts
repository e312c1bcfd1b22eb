/**
 * Registrations per second with digest authentication (issue 7 "Performance"): sipp devices
 * (one AOR each, bench/sipp/reg-bench-uac.xml: REGISTER → 401 → REGISTER with credentials →
 * 200) against Palisade's local registrar with the memory and the Redis backend, beside the
 * sipp → sipp ceiling (a sipp UAS answering REGISTER directly), in one run:
 *
 * 1. Rate: stepped rates (--rates) for --step-seconds each; the highest with zero failed
 *    registrations (sipp failures, and for Palisade no 503) is reported.
 * 2. Memory per binding (Palisade): --memory-devices fresh registrations at a moderate rate;
 *    growth of this process's heap + off-heap memory after a full GC (run with --expose-gc) and
 *    of Redis used_memory.
 * 3. Storm (Palisade, a fresh instance with `engine.overload.maxNewRequestsPerSecond` =
 *    --storm-cap, 0 = none): --storm-devices distinct devices at --storm-rate; 200s and the
 *    registrar's 503s (palisade_registrations_total), the engine's early stateless 503s
 *    (overloadShed), and whether Palisade still answers afterwards.
 *
 *   node --expose-gc dist/bench/register-rate.js [--rates 500,1000,2000,3000,4000]
 *        [--step-seconds 5] [--memory-devices 10000] [--storm-devices 50000] [--storm-rate 5000]
 *        [--storm-cap 1500]
 *
 * Palisade runs in this process (startTestSbc: embedded engine + registrar); sipp and
 * redis-server are separate processes. Needs sipp, redis-server and rtpengine installed.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { httpGet } from '../test/support/http';
import { startRedis, type TestRedis } from '../test/support/redis-server';
import { repoRoot } from '../test/support/repo';
import { runSipp, startSippUas, type SippResult } from '../test/support/sipp';
import { startTestSbc, type TestSbc } from '../test/support/sbc';

const UAC = path.join(repoRoot, 'bench', 'sipp', 'reg-bench-uac.xml');
const PASSWORD = 'bench-secret';

interface Step {
  rate: number;
  sent: number;
  ok: boolean;
  failed: number;
  overload: number;
}

const { values: args } = parseArgs({
  options: {
    rates: { type: 'string', default: '500,1000,2000,3000,4000' },
    'step-seconds': { type: 'string', default: '5' },
    'memory-devices': { type: 'string', default: '10000' },
    'storm-devices': { type: 'string', default: '50000' },
    'storm-rate': { type: 'string', default: '5000' },
    'storm-cap': { type: 'string', default: '1500' },
  },
});
const RATES = args.rates.split(',').map(Number);
const STEP_S = Number(args['step-seconds']);
const MEMORY_N = Number(args['memory-devices']);
const STORM_N = Number(args['storm-devices']);
const STORM_RATE = Number(args['storm-rate']);
const STORM_CAP = Number(args['storm-cap']);
const USERS = RATES.reduce((n, r) => n + r * STEP_S, 0) + MEMORY_N + STORM_N;

function rows(from: number, count: number): string[][] {
  // sipp expands a whole [authentication …] keyword from an injection field (not nested fields).
  return Array.from({ length: count }, (_, i) => [
    `d${from + i}`,
    `[authentication username=d${from + i} password=${PASSWORD}]`,
  ]);
}

async function drive(port: number, from: number, count: number, rate: number): Promise<SippResult> {
  return runSipp({
    scenario: UAC,
    remote: { host: '127.0.0.1', port },
    calls: count,
    rate,
    maxConcurrent: 20_000,
    injection: { mode: 'SEQUENTIAL', rows: rows(from, count) },
    traceMessages: false,
    timeoutMs: Math.ceil(count / rate) * 1000 + 30_000,
    recvTimeoutMs: 10_000,
    bufferSize: 8 << 20,
  });
}

async function outcomes(sbc: TestSbc | undefined): Promise<Record<string, number>> {
  if (!sbc) return {};
  const text = (await httpGet(`${sbc.opsUrl}/metrics`)).body;
  const out: Record<string, number> = {};
  for (const m of text.matchAll(/^palisade_registrations_total\{outcome="([^"]+)"\} (\S+)$/gm))
    out[m[1] ?? ''] = Number(m[2]);
  return out;
}

async function rateSearch(port: number, sbc: TestSbc | undefined, next: { user: number }): Promise<Step[]> {
  const steps: Step[] = [];
  for (const rate of RATES) {
    const n = rate * STEP_S;
    const before = await outcomes(sbc);
    const r = await drive(port, next.user, n, rate);
    next.user += n;
    const after = await outcomes(sbc);
    const overload = (after['overload'] ?? 0) - (before['overload'] ?? 0);
    const failed = r.stats.failed + (n - r.stats.successful - r.stats.failed);
    const step = { rate, sent: n, ok: failed === 0 && overload === 0, failed, overload };
    steps.push(step);
    console.error(`  ${rate}/s: ${JSON.stringify(step)}`);
    if (!step.ok) break;
  }
  return steps;
}

const best = (steps: Step[]): number => Math.max(0, ...steps.filter((s) => s.ok).map((s) => s.rate));

/** Heap + off-heap after a full GC (RSS does not shrink back after the rate search's garbage). */
function retained(): number {
  (globalThis as { gc?: () => void }).gc?.();
  const m = process.memoryUsage();
  return m.heapUsed + m.external + m.arrayBuffers;
}

function redisUsedMemory(redis: TestRedis | undefined): number {
  if (!redis) return 0;
  const info = execFileSync('redis-cli', ['-p', String(redis.port), 'info', 'memory'], { encoding: 'utf8' });
  return Number(/^used_memory:(\d+)/m.exec(info)?.[1] ?? 0);
}

function registrarYaml(): string {
  const users = Array.from({ length: USERS }, (_, i) => `{user: d${i}, password: ${PASSWORD}}`).join(', ');
  return [
    'registrar:',
    '  mode: local',
    '  algorithms: [ MD5 ]',
    `  users: [ ${users} ]`,
    '  limits: { perSourcePerSecond: 1000000, perSourceBurst: 1000000 }',
  ].join('\n');
}

function startRegistrar(redis: TestRedis | undefined, admissionCap = 0): Promise<TestSbc> {
  return startTestSbc({
    carrierPort: 9,
    routingYaml: 'trunks: []\nroutes: []',
    extraYaml: registrarYaml(),
    ...(admissionCap > 0 ? { engineYaml: `overload: { maxNewRequestsPerSecond: ${admissionCap} }` } : {}),
    ...(redis ? { state: `state: { backend: redis, url: "${redis.url}" }` } : {}),
  });
}

/** Longer than Timer J with the test timers (t1 100 ms → 6.4 s), so no transaction lingers. */
const settle = (): Promise<void> => new Promise((r) => setTimeout(r, 8000));

const engineShed = async (sbc: TestSbc): Promise<number> =>
  (await sbc.internals.engineSnapshot?.())?.stats.overloadShed ?? 0;

async function palisade(backend: 'memory' | 'redis') {
  const redis = backend === 'redis' ? await startRedis() : undefined;
  let sbc = await startRegistrar(redis);
  const next = { user: 0 };
  console.error(`palisade (${backend}): rate search`);
  const steps = await rateSearch(sbc.sipPort, sbc, next);
  console.error(`palisade (${backend}): memory, ${MEMORY_N} bindings`);
  // A fresh instance, so the rate search's lingering transactions and garbage are not in the
  // baseline; measured once the new registrations' transactions are gone too (Timer J = 64·T1).
  await sbc.stop();
  sbc = await startRegistrar(redis);
  await settle();
  const mem0 = retained();
  const redis0 = redisUsedMemory(redis);
  const mem = await drive(sbc.sipPort, next.user, MEMORY_N, 500);
  next.user += MEMORY_N;
  await settle();
  const perBinding = {
    processBytes: (retained() - mem0) / mem.stats.successful,
    redisBytes: (redisUsedMemory(redis) - redis0) / mem.stats.successful,
  };
  console.error(`palisade (${backend}): storm, ${STORM_N} devices at ${STORM_RATE}/s, cap ${STORM_CAP}/s`);
  await sbc.stop();
  sbc = await startRegistrar(redis, STORM_CAP);
  const before = await outcomes(sbc);
  const shed0 = await engineShed(sbc);
  const storm = STORM_N > 0 ? await drive(sbc.sipPort, next.user, STORM_N, STORM_RATE) : undefined;
  const after = await outcomes(sbc);
  const shedEarly = (await engineShed(sbc)) - shed0;
  const alive =
    (
      await runSipp({
        scenario: UAC,
        remote: { host: '127.0.0.1', port: sbc.sipPort },
        calls: 1,
        injection: { rows: rows(0, 1) },
        timeoutMs: 10_000,
        traceMessages: false,
      })
    ).outcome === 'all-succeeded';
  const d = (k: string) => (after[k] ?? 0) - (before[k] ?? 0);
  await sbc.stop();
  await redis?.stop();
  return {
    backend,
    best: best(steps),
    steps,
    perBinding,
    storm: {
      devices: STORM_N,
      rate: STORM_RATE,
      ok200: d('registered'),
      cap: STORM_CAP,
      registrar503: d('overload'),
      engineEarly503: shedEarly,
      sippFailed: storm?.stats.failed ?? 0,
      stillAnswering: alive,
    },
  };
}

async function sippDirect() {
  const uas = await startSippUas({ scenario: 'register-uas.xml', traceMessages: false, bufferSize: 8 << 20 });
  console.error('sipp → sipp: rate search');
  const steps = await rateSearch(uas.port, undefined, { user: 0 });
  await uas.stop(500);
  return { best: best(steps), steps };
}

async function main(): Promise<void> {
  const direct = await sippDirect();
  const memory = await palisade('memory');
  const redis = await palisade('redis');
  const kb = (b: number) => `${(b / 1024).toFixed(2)} KB`;
  console.log('\nREGISTER → 401 → REGISTER → 200, zero failures (step', STEP_S, 's)');
  console.log(`  sipp → sipp (no auth, ceiling) : ${direct.best}/s`);
  for (const p of [memory, redis]) {
    console.log(
      `  palisade, ${p.backend.padEnd(6)} backend   : ${p.best}/s  (${direct.best ? ((p.best / direct.best) * 100).toFixed(0) : '-'} % of sipp → sipp)`,
    );
  }
  console.log('\nmemory per binding');
  for (const p of [memory, redis])
    console.log(
      `  ${p.backend.padEnd(6)}: process ${kb(p.perBinding.processBytes)}, redis ${kb(p.perBinding.redisBytes)}, total ${kb(p.perBinding.processBytes + p.perBinding.redisBytes)}`,
    );
  console.log('\nstorm');
  for (const p of [memory, redis]) console.log(`  ${p.backend.padEnd(6)}: ${JSON.stringify(p.storm)}`);
  console.log(JSON.stringify({ direct, memory, redis }));
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
