/**
 * Calls per second through Palisade's engine + a minimal drachtio-srf B2BUA app, beside Kamailio
 * (stateful record-routing proxy) and sipp-to-sipp, in the same run.
 *
 * Each call: INVITE/SDP → 100 → 180 → 200/SDP → ACK → hold (default 1 s) → BYE → 200
 * (test/fixtures/sipp/invite-uac.xml → SUT → bench/sipp/bench-uas.xml). For every path the highest rate
 * with zero failed calls, < 1 % retransmissions and ≥ 95 % of the asked rate placed is found the
 * RFC 7501/7502 way: rates doubling from --start-rate until a step fails, a binary search between
 * the last pass and the first failure (to --resolution), then a longer confirmation run at the
 * found rate (stepping 10 % down until one passes, at most 3 times).
 *
 * `palisade` runs the engine in a worker thread of the app's process (as `palisade start` does);
 * `palisade-one-thread` keeps engine and app in one thread.
 *
 *   node dist/bench/engine-cps.js [--targets sipp-direct,kamailio,palisade,palisade-one-thread] [--start-rate 100]
 *        [--max-rate 16000] [--step-seconds 10] [--confirm-seconds 30] [--hold-ms 1000]
 *        [--resolution 0.05] [--warmup-seconds 10] [--kamailio-children 4] [--json FILE]
 *        [--app-args "--max-utilization 0.97 --max-queue-delay-ms 50"]   (extra engine-b2bua-app arguments)
 *
 * Needs sipp and kamailio (./scripts/install-bench-deps.sh) and `npx tsc -p tsconfig.json`.
 */
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import { parseArgs } from 'node:util';
import { freeUdpPort } from '../test/support/ports';
import {
  kamailioTarget,
  palisadeTarget,
  runTrial,
  sippDirectTarget,
  type CallTarget,
  type RunningCallTarget,
  type Trial,
} from './call-load';
import type { AppStats } from './engine-b2bua-app';
import {
  logTrial,
  pickTargets,
  searchArgs,
  searchCps,
  searchOptionsOf,
  restBetweenTrials,
  type SearchOptions,
} from './cps-search';

export interface CpsOptions extends SearchOptions {
  holdMs: number;
  log: (line: string) => void;
}

export interface CpsResult {
  name: string;
  note: string;
  trials: Trial[];
  /** Confirmed rate (0 when nothing passed). */
  cps: number;
  confirmation?: Trial;
  appStats?: AppStats;
  error?: string;
}

const fmt = (t: Trial): string =>
  `${t.phase} ${t.offered}/s x ${t.seconds}s: ${t.successful}/${t.calls} ok, ${t.failed} failed, ` +
  `retrans ${t.retransPct.toFixed(2)}% (SUT's ${t.sutRetransmissions}), placed ${t.placed.toFixed(0)}/s, setup avg ${t.setupAvgMs.toFixed(1)} ms, ` +
  `cpu sut ${t.sutCpu?.toFixed(0) ?? '-'}% uac ${t.uacCpu.toFixed(0)}% uas ${t.uasCpu.toFixed(0)}%, ` +
  `load ${t.loadAvg.toFixed(2)}, rcvbuf drops ${t.rcvbufErrors}${t.passed ? '' : `  FAIL (${t.why})`}`;

async function searchTarget(target: CallTarget, o: CpsOptions): Promise<CpsResult> {
  const uasPort = await freeUdpPort();
  const sutPort = await freeUdpPort();
  const trials: CpsResult['trials'] = [];
  let sut: RunningCallTarget | undefined;
  const trial = async (phase: Trial['phase'], rate: number, seconds: number): Promise<Trial> => {
    if (sut === undefined) throw new Error('not started');
    const t = await runTrial(phase, sut, uasPort, { rate, seconds, holdMs: o.holdMs });
    trials.push(t);
    logTrial(o.log, target.name, t, fmt(t));
    if (sut.stats !== undefined) {
      const st = await sut.stats();
      if (st !== undefined) {
        o.log(
          `${target.name}:   app: rss ${(st.rss / 2 ** 20).toFixed(0)} MiB heap ${(st.heapUsed / 2 ** 20).toFixed(0)} MiB, ` +
            `${JSON.stringify(st.app)} engine ${JSON.stringify(st.engine)}`,
        );
      }
    }
    const stats = sut.stats;
    await restBetweenTrials(
      stats &&
        (async () => {
          const e = (await stats())?.engine;
          return e && (e.stackServerTxns ?? 0) + (e.stackClientTxns ?? 0) + (e.dialogs ?? 0);
        }),
    );
    return t;
  };
  const result: CpsResult = { name: target.name, note: target.note, trials, cps: 0 };
  try {
    sut = await target.start(uasPort, sutPort);
    const found = await searchCps(trial, o);
    result.cps = found.cps;
    if (found.confirmation) result.confirmation = found.confirmation;
    if (sut.stats !== undefined) {
      const st = await sut.stats();
      if (st !== undefined) result.appStats = st;
    }
  } catch (e) {
    result.error = e instanceof Error ? e.message : String(e);
    o.log(`${target.name}: ERROR ${result.error}`);
  } finally {
    await sut?.stop();
  }
  return result;
}

export async function runEngineCps(targets: readonly CallTarget[], o: CpsOptions): Promise<CpsResult[]> {
  const results: CpsResult[] = [];
  for (const t of targets) results.push(await searchTarget(t, o));
  return results;
}

const pad = (s: string, n: number): string => s.padStart(n);

export function formatCpsReport(results: readonly CpsResult[], o: CpsOptions): string {
  const cores = os.cpus().length;
  const L: string[] = [];
  L.push(
    `Calls per second, short calls (INVITE/SDP → 100 → 180 → 200/SDP → ACK → ${o.holdMs} ms → BYE → 200), UDP, 127.0.0.1`,
  );
  L.push(
    `method: RFC 7501/7502 — warm-up ${o.warmupSeconds ?? 0} s at ${o.startRate}/s (not judged), rates doubling from ${o.startRate}/s (${o.stepSeconds} s per step), binary search to ${(o.resolution * 100).toFixed(0)} %, ` +
      `confirmation ${o.confirmSeconds} s; pass = 0 failed calls (UAC and UAS), retransmissions < 1 % of the 7 messages/call, placed ≥ 95 % of asked`,
  );
  L.push(
    `host: ${cores} core(s), ${os.cpus()[0]?.model ?? '?'}; sipp UAC, sipp UAS and the system under test SHARE these cores ` +
      '(paths are measured one after another, not concurrently): every figure includes the load generators’ cost',
  );
  for (const r of results) L.push(`  ${r.name}: ${r.note}`);
  L.push('');
  const head = [
    pad('path', 12),
    pad('CPS', 6),
    pad('setup avg', 9),
    pad('p50', 6),
    pad('p95', 6),
    pad('retrans', 7),
    pad('sut cpu', 7),
    pad('uac cpu', 7),
    pad('uas cpu', 7),
    pad('load1', 5),
    pad('rcvbuf', 6),
    pad('trials', 6),
  ];
  L.push(head.join(' | '));
  for (const r of results) {
    const c = r.confirmation;
    const pct = (v: number | undefined): string => (v === undefined ? '-' : `${v.toFixed(0)}%`);
    L.push(
      [
        pad(r.name, 12),
        pad(String(r.cps), 6),
        pad(c === undefined ? '-' : `${c.setupAvgMs.toFixed(1)} ms`, 9),
        pad(c?.setupP50 ?? '-', 6),
        pad(c?.setupP95 ?? '-', 6),
        pad(c === undefined ? '-' : `${c.retransPct.toFixed(2)}%`, 7),
        pad(pct(c?.sutCpu), 7),
        pad(pct(c?.uacCpu), 7),
        pad(pct(c?.uasCpu), 7),
        pad(c === undefined ? '-' : c.loadAvg.toFixed(2), 5),
        pad(c === undefined ? '-' : String(c.rcvbufErrors), 6),
        pad(String(r.trials.length), 6),
      ].join(' | ') + (r.error === undefined ? '' : `  ERROR: ${r.error}`),
    );
  }
  L.push('');
  L.push(
    'CPS = confirmed rate; cpu = % of one core over the confirmation run (sut: whole process tree); ' +
      'p50/p95 = sipp INVITE→200 repartition bucket (ms); rcvbuf = system-wide UDP RcvbufErrors during the run',
  );
  const by = (n: string): number | undefined => results.find((r) => r.name === n)?.cps;
  const ratio = (a: number | undefined, b: number | undefined): string =>
    a === undefined || b === undefined || b === 0 ? 'n/a' : (a / b).toFixed(2);
  L.push(
    `ratios: palisade/kamailio = ${ratio(by('palisade'), by('kamailio'))}, ` +
      `palisade/sipp-direct = ${ratio(by('palisade'), by('sipp-direct'))}, ` +
      `kamailio/sipp-direct = ${ratio(by('kamailio'), by('sipp-direct'))}`,
  );
  L.push('');
  L.push('all trials:');
  for (const r of results) for (const t of r.trials) L.push(`  ${r.name}: ${fmt(t)}`);
  return L.join('\n');
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      targets: { type: 'string', default: 'sipp-direct,kamailio,palisade,palisade-one-thread' },
      ...searchArgs,
      'kamailio-children': { type: 'string', default: '4' },
      'app-args': { type: 'string', default: '' },
      json: { type: 'string' },
    },
  });
  const o: CpsOptions = searchOptionsOf(values);
  const appArgs = values['app-args'].split(' ').filter((a) => a !== '');
  const all: Record<string, CallTarget> = {
    'sipp-direct': sippDirectTarget,
    kamailio: kamailioTarget(Number(values['kamailio-children'])),
    palisade: palisadeTarget({ appArgs, engineThread: true }),
    'palisade-one-thread': palisadeTarget({ appArgs, name: 'palisade-one-thread' }),
  };
  const results = await runEngineCps(pickTargets(values.targets, all), o);
  if (values.json !== undefined) writeFileSync(values.json, JSON.stringify(results, null, 2));
  process.stdout.write(`${formatCpsReport(results, o)}\n`);
}

if (require.main === module) {
  main().catch((e: unknown) => {
    process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exitCode = 1;
  });
}
