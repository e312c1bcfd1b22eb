/**
 * The cost of horizontal scaling (issue 8, Performance), in one run:
 *
 * 1. One Palisade instance (`palisade start`: embedded engine + B2BUA + its own userspace
 *    rtpengine) with the memory state backend vs the Redis backend (a real redis-server): CPS with
 *    zero failed calls (RFC 7501/7502 search of bench/cps-search.ts) and, on a fresh process, memory
 *    per concurrent call (RSS of Palisade, rtpengine and redis-server, Redis used_memory).
 * 2. Total CPS of two instances (127.0.0.1, different ports, distinct instance ids, split rtpengine
 *    port ranges) sharing one redis-server, one sipp UAC per instance (rate split evenly) and one
 *    sipp UAS, vs one instance on the Redis backend (the run of 1, or its own when 1 is skipped).
 *
 *   node dist/bench/scale-cps.js [--parts backends,memory,two] [--start-rate 100] [--max-rate 16000]
 *        [--step-seconds 10] [--confirm-seconds 30] [--hold-ms 1000] [--memory-calls 3000]
 *        [--memory-rate 250] [--json FILE]
 *
 * Needs sipp, rtpengine, redis-server (./scripts/install-deps.sh) and `npx tsc -p tsconfig.json`.
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { freeUdpPort } from '../test/support/ports';
import { startRedis } from '../test/support/redis-server';
import { searchArgs, searchCps, searchOptionsOf } from './cps-search';
import { memory, pathTrial } from './sbc-cps';
import type { Options } from './sbc-cps-report';
import { palisadeTarget, type RunningSbc, type Target } from './sbc-targets';
import { formatScaleReport, type ScaleResult, type ScaleResults } from './scale-cps-report';

/** The CPS search (and with `withMemory` the memory round on a fresh process) of one target. */
async function measure(
  target: Target,
  o: Options,
  withCps: boolean,
  withMemory: boolean,
): Promise<ScaleResult> {
  const uasPort = await freeUdpPort();
  const sutPort = await freeUdpPort();
  const result: ScaleResult = { name: target.name, note: target.note, trials: [], cps: 0 };
  let sut: RunningSbc | undefined;
  const trial = pathTrial(target.name, () => sut, uasPort, result.trials, o);
  try {
    if (withCps) {
      sut = await target.start(uasPort, sutPort);
      const found = await searchCps(trial, o);
      result.cps = found.cps;
      if (found.confirmation) result.confirmation = found.confirmation;
      await sut.stop();
      sut = undefined;
    }
    if (withMemory && o.memoryCalls > 0) {
      // a fresh process: nothing left from the load above (rtpengine's delete delay included)
      sut = await target.start(uasPort, sutPort);
      result.memory = await memory(sut, uasPort, o);
      o.log(`${target.name}: memory ${JSON.stringify(result.memory)}`);
    }
  } catch (e) {
    result.error = e instanceof Error ? e.message : String(e);
    o.log(`${target.name}: ERROR ${result.error}`);
    for (const l of sut?.logProblems?.() ?? []) o.log(`${target.name}:   log: ${l}`);
  } finally {
    await sut?.stop();
  }
  return result;
}

/**
 * Two Palisade instances on one shared redis-server as one system under test: the UAC load split
 * over both SIP ports, CPU and RSS per role and instance ("sut a", "rtpengine b", "redis").
 */
function twoInstances(): Target {
  const instance = (
    id: string,
    ports: readonly [number, number],
    redis: { url: string; port: number },
  ): Target =>
    palisadeTarget({ name: `instance ${id}`, instanceId: `bench-${id}`, mediaPorts: ports, redis });
  return {
    name: 'two instances (redis)',
    note:
      'two `palisade start` processes on 127.0.0.1 (ids bench-a/bench-b, SIP ports apart), each with its own userspace ' +
      'rtpengine (ports 12000-21999 / 22000-31999: the halves of BENCH_MEDIA_PORTS), Redis state backend on ONE shared redis-server',
    start: async (uasPort, sutPort) => {
      const redis = await startRedis();
      const started: RunningSbc[] = [];
      const stopAll = async (): Promise<void> => {
        for (const s of started) await s.stop();
        await redis.stop();
      };
      try {
        started.push(await instance('a', [12000, 21999], redis).start(uasPort, sutPort));
        started.push(await instance('b', [22000, 31999], redis).start(uasPort, await freeUdpPort()));
      } catch (e) {
        await stopAll();
        throw e;
      }
      const [a, b] = started as [RunningSbc, RunningSbc];
      const byInstance = <T>(f: (s: RunningSbc) => Record<string, T>): Record<string, T> => {
        const out: Record<string, T> = {};
        for (const [id, s] of [
          ['a', a],
          ['b', b],
        ] as const) {
          for (const [k, v] of Object.entries(f(s))) out[k === 'redis' ? k : `${k} ${id}`] = v;
        }
        return out;
      };
      return {
        port: a.port,
        uacPorts: [a.port, b.port],
        cpu: byInstance((s) => s.cpu),
        pids: () => byInstance((s) => s.pids()),
        logProblems: () => [
          ...(a.logProblems?.() ?? []).map((l) => `a: ${l}`),
          ...(b.logProblems?.() ?? []).map((l) => `b: ${l}`),
        ],
        stop: stopAll,
      };
    },
  };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      parts: { type: 'string', default: 'backends,memory,two' },
      ...searchArgs,
      'memory-calls': { type: 'string', default: '3000' },
      'memory-rate': { type: 'string', default: '250' },
      json: { type: 'string' },
    },
  });
  const parts = new Set(values.parts.split(',').map((p) => p.trim()));
  for (const p of parts)
    if (!['backends', 'memory', 'two'].includes(p))
      throw new Error(`unknown part ${p} (backends, memory, two)`);
  const o: Options = {
    ...searchOptionsOf(values),
    memoryCalls: Number(values['memory-calls']),
    memoryRate: Number(values['memory-rate']),
    memoryRtpengines: 1,
    // sbc-cps options this bench does not use (no Kamailio, no delay capture, no overload run)
    kamailioChildren: 0,
    delayLoad: 0,
    delaySeconds: 0,
    overloadLoad: 0,
    overloadSeconds: 0,
  };
  const r: ScaleResults = {};
  const cps = parts.has('backends');
  const mem = parts.has('memory');
  if (cps || mem) {
    r.memoryBackend = await measure(
      palisadeTarget({ name: 'one, memory backend', state: 'memory' }),
      o,
      cps,
      mem,
    );
    r.redisBackend = await measure(palisadeTarget({ name: 'one, redis backend' }), o, cps, mem);
  }
  if (parts.has('two')) {
    r.one = cps
      ? r.redisBackend
      : await measure(palisadeTarget({ name: 'one, redis backend' }), o, true, false);
    r.two = await measure(twoInstances(), o, true, false);
  }
  if (values.json !== undefined) writeFileSync(values.json, JSON.stringify(r, null, 2));
  process.stdout.write(`${formatScaleReport(r, o)}\n`);
}

if (require.main === module) {
  main().catch((e: unknown) => {
    process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exitCode = 1;
  });
}
