/**
 * The whole SBC under call load: sipp (INVITE with SDP) → Palisade (`palisade start`: embedded
 * engine + B2BUA + its own userspace rtpengine + Redis state backend) → sipp UAS, beside Kamailio
 * + rtpengine (stateful record-routing proxy, rtpengine_manage) and sipp → sipp, in one run.
 *
 * 1. CPS: RFC 7501/7502 search per path (rates doubling from --start-rate until a step fails,
 *    binary search to --resolution, confirmation run; pass rules of bench/call-load.ts).
 * 2. Setup delay the SBC adds (INVITE in → out, 180 in → out, 200 in → out), p50/p99, from a
 *    tcpdump capture on lo at --delay-load (70 %) of the path's confirmed rate (bench/sbc-pcap.ts).
 * 3. Overload (Palisade): --overload-load (150 %) of its confirmed rate for --overload-seconds,
 *    with bench/sipp/sbc-uac-overload.xml (503 is an expected answer): refused vs completed vs
 *    failed, then a recovery trial at 50 %.
 * 4. Memory (Palisade, restarted): --memory-calls concurrent calls held at once; RSS of the
 *    Palisade process, rtpengine and Redis before / with all calls up / after.
 *
 *   node dist/bench/sbc-cps.js [--targets sipp-direct,kamailio-rtpengine,palisade] [--start-rate 100]
 *        [--step-seconds 10] [--confirm-seconds 30] [--hold-ms 1000] [--memory-calls 3000] [--json FILE]
 *
 * Needs sipp, kamailio, rtpengine, redis-server, tcpdump (./scripts/install-deps.sh,
 * ./scripts/install-bench-deps.sh), root for tcpdump, and `npx tsc -p tsconfig.json`.
 */
import { writeFileSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { httpGet } from '../test/support/http';
import { freeUdpPort } from '../test/support/ports';
import { repoRoot } from '../test/support/repo';
import { runSipp, startSippUas } from '../test/support/sipp';
import { BENCH_UAS, SIPP_SOCKET_BUFFER, rssBytes, runTrial, udpRcvbufErrors, type Trial } from './call-load';
import {
  kamailioRtpengineTarget,
  palisadeTarget,
  sippDirect,
  type RunningSbc,
  type Target,
} from './sbc-targets';
import {
  logTrial,
  pickTargets,
  restBetweenTrials,
  searchArgs,
  searchCps,
  searchOptionsOf,
} from './cps-search';
import { readPcap, setupDelays, startCapture } from './sbc-pcap';
import {
  fmt,
  formatReport,
  type MemoryResult,
  type Options,
  type OverloadResult,
  type PathResult,
  type SbcTrial,
} from './sbc-cps-report';

const SBC_UAC = path.join(repoRoot, 'bench', 'sipp', 'sbc-uac.xml');
const SBC_UAC_OVERLOAD = path.join(repoRoot, 'bench', 'sipp', 'sbc-uac-overload.xml');

// ---------------------------------------------------------------------------------------------
// trials

export async function measuredTrial(
  phase: Trial['phase'],
  sut: RunningSbc,
  uasPort: number,
  rate: number,
  seconds: number,
  o: Pick<Options, 'holdMs'>,
): Promise<SbcTrial> {
  const roles = Object.entries(sut.cpu);
  let c0: number[] = roles.map(([, f]) => f());
  let w0 = Date.now();
  const t = await runTrial(
    phase,
    {
      port: sut.port,
      ...(sut.uacPorts === undefined ? {} : { uacPorts: sut.uacPorts }),
      ...(sut.pid === undefined ? {} : { pid: sut.pid }),
      stop: () => sut.stop(),
    },
    uasPort,
    {
      rate,
      seconds,
      holdMs: o.holdMs,
      uacScenario: SBC_UAC,
      onSipp: (role) => {
        if (role !== 'uac') return;
        c0 = roles.map(([, f]) => f());
        w0 = Date.now();
      },
    },
  );
  const wall = (Date.now() - w0) / 1000;
  const cpuByRole: Record<string, number> = {};
  roles.forEach(([k, f], i) => (cpuByRole[k] = ((f() - (c0[i] ?? 0)) / wall) * 100));
  const problems = sut.logProblems?.();
  return {
    ...t,
    cpuByRole,
    ...(problems === undefined || problems.length === 0 ? {} : { logProblems: problems }),
  };
}

const msOf = (v: string | undefined): number => {
  const p = (v ?? '').split(':').map(Number);
  return p.length === 4
    ? (((p[0] ?? 0) * 60 + (p[1] ?? 0)) * 60 + (p[2] ?? 0)) * 1000 + (p[3] ?? 0) / 1000
    : NaN;
};

export async function overload(
  sut: RunningSbc,
  uasPort: number,
  rate: number,
  o: Pick<Options, 'overloadSeconds' | 'holdMs'>,
): Promise<OverloadResult> {
  const calls = Math.round(rate * o.overloadSeconds);
  const budget = o.overloadSeconds * 3000 + o.holdMs + 30_000;
  const uas = await startSippUas({
    scenario: BENCH_UAS,
    localPort: uasPort,
    traceMessages: false,
    bufferSize: SIPP_SOCKET_BUFFER,
    timeoutMs: budget + 10_000,
    timeoutIsError: false,
  });
  const roles = Object.entries(sut.cpu);
  const c0 = roles.map(([, f]) => f());
  const drops0 = udpRcvbufErrors();
  const w0 = Date.now();
  const uac = await runSipp({
    scenario: SBC_UAC_OVERLOAD,
    remote: { host: '127.0.0.1', port: sut.port },
    calls,
    rate,
    pauseMs: o.holdMs,
    traceMessages: false,
    bufferSize: SIPP_SOCKET_BUFFER,
    recvTimeoutMs: 10_000,
    timeoutMs: budget,
  });
  const wall = (Date.now() - w0) / 1000;
  const cpuByRole: Record<string, number> = {};
  roles.forEach(([k, f], i) => (cpuByRole[k] = ((f() - (c0[i] ?? 0)) / wall) * 100));
  const uasR = await uas.stop(3000);
  const refused =
    uac.screen.messages.find((m) => m.direction === 'received' && m.label.startsWith('503'))?.messages ?? 0;
  const s = uac.stats;
  return {
    offered: rate,
    seconds: o.overloadSeconds,
    calls,
    created: s.callsCreated,
    placed: s.callsCreated / Math.max(0.001, s.elapsedMs / 1000 - o.holdMs / 1000),
    refused503: refused,
    completed: s.successful - refused,
    failed: s.failed,
    failedDetail:
      `uac: max-retrans ${s.failedMaxUdpRetrans}, unexpected msg ${s.failedUnexpectedMessage}, recv timeout ${s.failedTimeoutOnRecv}; ` +
      `uas failed ${uasR.stats.failed}`,
    timeTo503AvgMs: msOf(s.raw['ResponseTime2(C)']),
    setupAvgMs: msOf(s.raw['ResponseTime1(C)']),
    retransmissions: s.retransmissions + uasR.stats.retransmissions,
    cpuByRole,
    rcvbufErrors: udpRcvbufErrors() - drops0,
    loadAvg: os.loadavg()[0] ?? 0,
    logProblems: sut.logProblems?.() ?? [],
    errors: (uac.errors + uasR.errors).slice(0, 1500),
  };
}

function rssAll(sut: RunningSbc): Record<string, number | undefined> {
  const out: Record<string, number | undefined> = {};
  for (const [k, pid] of Object.entries(sut.pids())) out[k] = pid === undefined ? undefined : rssBytes(pid);
  return out;
}

async function activeCalls(opsUrl: string | undefined): Promise<string | undefined> {
  if (opsUrl === undefined) return undefined;
  try {
    const r = await httpGet(`${opsUrl}/metrics`);
    return r.body
      .split('\n')
      .filter((l) => /active_calls|dialogs|heap_size_used/.test(l) && !l.startsWith('#'))
      .join('; ');
  } catch {
    return undefined;
  }
}

export async function memory(sut: RunningSbc, uasPort: number, o: Options): Promise<MemoryResult> {
  const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
  // Warm-up at the ramp's own rate (JIT, pools, and the young generations V8 sizes to the
  // allocation rate: they do not grow with calls held), short calls, then settle.
  await measuredTrial('step', sut, uasPort, o.memoryRate, 4, { ...o, holdMs: 200 });
  await sleep(5000);
  const rampMs = (o.memoryCalls / o.memoryRate) * 1000;
  const holdMs = Math.round(rampMs + 15_000);
  const before = rssAll(sut);
  const redisBefore = sut.redisInfo?.();
  const uas = await startSippUas({
    scenario: BENCH_UAS,
    localPort: uasPort,
    traceMessages: false,
    bufferSize: SIPP_SOCKET_BUFFER,
    timeoutMs: rampMs + holdMs + 60_000,
    timeoutIsError: false,
  });
  const run = runSipp({
    scenario: SBC_UAC,
    remote: { host: '127.0.0.1', port: sut.port },
    calls: o.memoryCalls,
    rate: o.memoryRate,
    maxConcurrent: o.memoryCalls,
    pauseMs: holdMs,
    traceMessages: false,
    bufferSize: SIPP_SOCKET_BUFFER,
    recvTimeoutMs: 20_000,
    timeoutMs: rampMs + holdMs + 50_000,
  });
  await sleep(rampMs + 8000);
  const up = rssAll(sut);
  const redisUp = sut.redisInfo?.();
  const metric = await activeCalls(sut.opsUrl);
  const uac = await run;
  await uas.stop(3000);
  await sleep(5000);
  const after = rssAll(sut);
  const redisAfter = sut.redisInfo?.();
  return {
    calls: o.memoryCalls,
    rate: o.memoryRate,
    holdMs,
    established: uac.stats.callsCreated,
    successful: uac.stats.successful,
    failed: uac.stats.failed,
    before,
    up,
    after,
    ...(redisBefore === undefined ? {} : { redisBefore }),
    ...(redisUp === undefined ? {} : { redisUp }),
    ...(redisAfter === undefined ? {} : { redisAfter }),
    ...(metric === undefined ? {} : { activeCallsMetric: metric }),
    logProblems: sut.logProblems?.() ?? [],
  };
}

// ---------------------------------------------------------------------------------------------
// per path

/**
 * One logged trial of a path: measured, appended to `trials`, logged (sipp errors and Palisade log
 * problems too), then a rest until the SUT holds nothing of it. `sut()` is the running target.
 */
export function pathTrial(
  name: string,
  sut: () => RunningSbc | undefined,
  uasPort: number,
  trials: SbcTrial[],
  o: Options,
): (phase: Trial['phase'], rate: number, seconds: number) => Promise<SbcTrial> {
  return async (phase, rate, seconds) => {
    const running = sut();
    if (running === undefined) throw new Error('not started');
    const t = await measuredTrial(phase, running, uasPort, rate, seconds, o);
    trials.push(t);
    logTrial(o.log, name, t, fmt(t));
    for (const p of t.logProblems ?? []) o.log(`${name}:   log: ${p}`);
    await restBetweenTrials(running.held?.count, running.held?.restMs);
    return t;
  };
}

async function runPath(target: Target, o: Options): Promise<PathResult> {
  const uasPort = await freeUdpPort();
  const sutPort = await freeUdpPort();
  const result: PathResult = { name: target.name, note: target.note, trials: [], cps: 0 };
  let sut: RunningSbc | undefined;
  const trial = pathTrial(target.name, () => sut, uasPort, result.trials, o);
  try {
    sut = await target.start(uasPort, sutPort);
    const found = await searchCps(trial, o);
    result.cps = found.cps;
    if (found.confirmation) result.confirmation = found.confirmation;
    const base = result.cps > 0 ? result.cps : found.lastPass;
    if (target.name !== 'sipp-direct' && base > 0) {
      // setup delay at 70 %, from a capture on the SBC's port
      const rate = Math.max(1, Math.round(base * o.delayLoad));
      const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'palisade-pcap-')), 'sbc.pcap');
      const cap = await startCapture(sutPort, file);
      const t = await trial('step', rate, o.delaySeconds);
      await cap.stop();
      const report = setupDelays(readPcap(file), sutPort);
      result.delay = { rate, trial: t, report };
      o.log(`${target.name}: delay at ${rate}/s: ${JSON.stringify(report)}`);
    }
    if (target.name === 'palisade' && base > 0) {
      const rate = Math.round(base * o.overloadLoad);
      const ov = await overload(sut, uasPort, rate, o);
      o.log(`${target.name}: overload ${JSON.stringify(ov)}`);
      await new Promise((r) => setTimeout(r, 3000));
      ov.recovery = await trial('step', Math.max(1, Math.round(base * 0.5)), o.stepSeconds);
      result.overload = ov;
    }
    if (target.name === 'palisade' && o.memoryCalls > 0) {
      // a fresh process: nothing left from the load above (rtpengine's delete delay included)
      await sut.stop();
      const memoryTarget = o.memoryRtpengines > 1 ? target.withRtpengines?.(o.memoryRtpengines) : undefined;
      sut = await (memoryTarget ?? target).start(uasPort, sutPort);
      result.memory = await memory(sut, uasPort, o);
      o.log(`${target.name}: memory ${JSON.stringify(result.memory)}`);
    }
  } catch (e) {
    result.error = e instanceof Error ? e.message : String(e);
    o.log(`${target.name}: ERROR ${result.error}`);
    const p = sut?.logProblems?.();
    for (const l of p ?? []) o.log(`${target.name}:   log: ${l}`);
  } finally {
    await sut?.stop();
  }
  return result;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      targets: { type: 'string', default: 'sipp-direct,kamailio-rtpengine,palisade' },
      ...searchArgs,
      // rtpengine_manage() holds a worker for each ng round trip: 4 workers capped the reference
      // (507 vs 825 calls/s confirmed with 8, same session); 8 is Kamailio's own default.
      'kamailio-children': { type: 'string', default: '8' },
      'delay-load': { type: 'string', default: '0.7' },
      'delay-seconds': { type: 'string', default: '20' },
      'overload-load': { type: 'string', default: '1.5' },
      'overload-seconds': { type: 'string', default: '20' },
      'memory-calls': { type: 'string', default: '3000' },
      'memory-rate': { type: 'string', default: '250' },
      'memory-rtpengines': { type: 'string', default: '1' },
      json: { type: 'string' },
    },
  });
  const o: Options = {
    ...searchOptionsOf(values),
    kamailioChildren: Number(values['kamailio-children']),
    delayLoad: Number(values['delay-load']),
    delaySeconds: Number(values['delay-seconds']),
    overloadLoad: Number(values['overload-load']),
    overloadSeconds: Number(values['overload-seconds']),
    memoryCalls: Number(values['memory-calls']),
    memoryRate: Number(values['memory-rate']),
    memoryRtpengines: Number(values['memory-rtpengines']),
  };
  const all: Record<string, Target> = {
    'sipp-direct': sippDirect,
    'kamailio-rtpengine': kamailioRtpengineTarget(o.kamailioChildren),
    palisade: palisadeTarget(),
    'palisade-main-thread': palisadeTarget({ name: 'palisade-main-thread', engineThread: 'main' }),
  };
  const results: PathResult[] = [];
  for (const t of pickTargets(values.targets, all)) results.push(await runPath(t, o));
  if (values.json !== undefined) writeFileSync(values.json, JSON.stringify(results, null, 2));
  process.stdout.write(`${formatReport(results, o)}\n`);
}

if (require.main === module) {
  main().catch((e: unknown) => {
    process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exitCode = 1;
  });
}
