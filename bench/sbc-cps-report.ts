/** The side-by-side report of bench/sbc-cps.ts and the result types it prints. */
import os from 'node:os';
import type { Trial } from './call-load';
import type { DelayReport } from './sbc-pcap';

export interface Options {
  startRate: number;
  maxRate: number;
  stepSeconds: number;
  confirmSeconds: number;
  holdMs: number;
  resolution: number;
  kamailioChildren: number;
  delayLoad: number;
  delaySeconds: number;
  overloadLoad: number;
  overloadSeconds: number;
  memoryCalls: number;
  memoryRate: number;
  /** rtpengines Palisade anchors the memory phase's calls in (one holds ~3 300 calls here). */
  memoryRtpengines: number;
  log: (line: string) => void;
}

export interface SbcTrial extends Trial {
  /** Role → % of one core over the trial. */
  cpuByRole: Record<string, number>;
  logProblems?: string[];
}

export const fmtCpu = (c: Record<string, number>): string =>
  Object.entries(c)
    .map(([k, v]) => `${k} ${v.toFixed(0)}%`)
    .join(' ');

export const fmt = (t: SbcTrial): string =>
  `${t.phase} ${t.offered}/s x ${t.seconds}s: ${t.successful}/${t.calls} ok, ${t.failed} failed, ` +
  `retrans ${t.retransPct.toFixed(2)}% (SUT's ${t.sutRetransmissions}), placed ${t.placed.toFixed(0)}/s, setup avg ${t.setupAvgMs.toFixed(1)} ms ` +
  `(p50 ${t.setupP50} p95 ${t.setupP95}), cpu ${fmtCpu(t.cpuByRole)} uac ${t.uacCpu.toFixed(0)}% uas ${t.uasCpu.toFixed(0)}%, ` +
  `load ${t.loadAvg.toFixed(2)}, rcvbuf drops ${t.rcvbufErrors}${t.passed ? '' : `  FAIL (${t.why})`}`;

export interface OverloadResult {
  offered: number;
  seconds: number;
  calls: number;
  created: number;
  /** Calls placed per second (created / (elapsed − hold)). */
  placed: number;
  refused503: number;
  completed: number;
  failed: number;
  failedDetail: string;
  timeTo503AvgMs: number;
  setupAvgMs: number;
  retransmissions: number;
  cpuByRole: Record<string, number>;
  rcvbufErrors: number;
  loadAvg: number;
  recovery?: SbcTrial;
  logProblems: string[];
  errors: string;
}

export interface MemoryResult {
  calls: number;
  rate: number;
  holdMs: number;
  established: number;
  successful: number;
  failed: number;
  before: Record<string, number | undefined>;
  up: Record<string, number | undefined>;
  after: Record<string, number | undefined>;
  redisBefore?: { usedMemory: number; keys: number };
  redisUp?: { usedMemory: number; keys: number };
  redisAfter?: { usedMemory: number; keys: number };
  activeCallsMetric?: string;
  logProblems: string[];
}

export interface PathResult {
  name: string;
  note: string;
  trials: SbcTrial[];
  cps: number;
  confirmation?: SbcTrial;
  delay?: { rate: number; trial: SbcTrial; report: DelayReport };
  overload?: OverloadResult;
  memory?: MemoryResult;
  error?: string;
}

// ---------------------------------------------------------------------------------------------
// report

const pad = (s: string, n: number): string => s.padStart(n);
const mib = (b: number | undefined): string => (b === undefined ? '-' : `${(b / 2 ** 20).toFixed(1)} MiB`);

export function formatReport(results: readonly PathResult[], o: Options): string {
  const L: string[] = [];
  L.push(
    `SBC calls per second, short calls with SDP (INVITE/SDP → 100 → 180 → 200/SDP → ACK → ${o.holdMs} ms → BYE → 200), UDP, 127.0.0.1`,
  );
  L.push(
    `method: RFC 7501/7502 — rates doubling from ${o.startRate}/s (${o.stepSeconds} s per step), binary search to ${(o.resolution * 100).toFixed(0)} %, ` +
      `confirmation ${o.confirmSeconds} s; pass = 0 failed calls (UAC and UAS), retransmissions < 1 % of 7 messages/call, placed ≥ 95 % of asked`,
  );
  L.push(
    `host: ${os.cpus().length} core(s), ${os.cpus()[0]?.model ?? '?'}; sipp UAC, sipp UAS, the SUT, rtpengine and Redis SHARE these cores (paths measured one after another)`,
  );
  for (const r of results) L.push(`  ${r.name}: ${r.note}`);
  L.push('');
  const head = [
    'path',
    'CPS',
    'setup avg',
    'p50',
    'p95',
    'retrans',
    'sut cpu',
    'rtpeng',
    'redis',
    'uac cpu',
    'uas cpu',
    'load1',
    'rcvbuf',
    'trials',
  ];
  const w = [18, 6, 9, 5, 5, 7, 7, 6, 5, 7, 7, 5, 6, 6];
  L.push(head.map((h, i) => pad(h, w[i] ?? 6)).join(' | '));
  for (const r of results) {
    const c = r.confirmation;
    const pct = (v: number | undefined): string => (v === undefined ? '-' : `${v.toFixed(0)}%`);
    const cells = [
      r.name,
      String(r.cps),
      c === undefined ? '-' : `${c.setupAvgMs.toFixed(1)} ms`,
      c?.setupP50 ?? '-',
      c?.setupP95 ?? '-',
      c === undefined ? '-' : `${c.retransPct.toFixed(2)}%`,
      pct(c?.cpuByRole['sut']),
      pct(c?.cpuByRole['rtpengine']),
      pct(c?.cpuByRole['redis']),
      pct(c?.uacCpu),
      pct(c?.uasCpu),
      c === undefined ? '-' : c.loadAvg.toFixed(2),
      c === undefined ? '-' : String(c.rcvbufErrors),
      String(r.trials.length),
    ];
    L.push(
      cells.map((x, i) => pad(x, w[i] ?? 6)).join(' | ') +
        (r.error === undefined ? '' : `  ERROR: ${r.error}`),
    );
  }
  L.push(
    'CPS = confirmed rate; cpu = % of one core over the confirmation run (sut: Palisade node process / Kamailio process tree); ' +
      'p50/p95 = sipp INVITE→200 repartition bucket upper bound (ms, end to end); rcvbuf = system-wide UDP RcvbufErrors',
  );
  const by = (n: string): number | undefined => results.find((r) => r.name === n)?.cps;
  const ratio = (a: number | undefined, b: number | undefined): string =>
    a === undefined || b === undefined || b === 0 ? 'n/a' : (a / b).toFixed(2);
  L.push(
    `ratios: palisade/kamailio-rtpengine = ${ratio(by('palisade'), by('kamailio-rtpengine'))}, ` +
      `palisade/sipp-direct = ${ratio(by('palisade'), by('sipp-direct'))}, ` +
      `kamailio-rtpengine/sipp-direct = ${ratio(by('kamailio-rtpengine'), by('sipp-direct'))}`,
  );
  L.push('');
  L.push(
    'Setup delay added by the SUT (tcpdump on lo, SUT port: message in → matching message out on the other leg), ms',
  );
  L.push(
    ['path', 'rate', 'calls', 'INVITE p50', 'p99', 'max', '180 p50', 'p99', '200 p50', 'p99', 'max', 'trial']
      .map((h, i) => pad(h, i === 0 ? 18 : 9))
      .join(' | '),
  );
  for (const r of results) {
    const d = r.delay;
    if (d === undefined) continue;
    const f = (v: number): string => (Number.isFinite(v) ? v.toFixed(2) : '-');
    const x = d.report;
    L.push(
      [
        r.name,
        `${d.rate}/s`,
        String(x.pairedCalls),
        f(x.invite.p50),
        f(x.invite.p99),
        f(x.invite.max),
        f(x.ringing.p50),
        f(x.ringing.p99),
        f(x.ok.p50),
        f(x.ok.p99),
        f(x.ok.max),
        d.trial.passed ? 'pass' : `FAIL ${d.trial.why}`,
      ]
        .map((h, i) => pad(h, i === 0 ? 18 : 9))
        .join(' | '),
    );
  }
  for (const r of results) {
    const v = r.overload;
    if (v === undefined) continue;
    L.push('');
    L.push(
      `Overload (${r.name}): ${v.offered}/s (${(o.overloadLoad * 100).toFixed(0)} % of ${r.cps || '?'}) for ${v.seconds} s, ${v.calls} calls asked`,
    );
    L.push(
      `  created ${v.created} (placed ${v.placed.toFixed(0)}/s), refused with 503 ${v.refused503} (avg ${Number.isFinite(v.timeTo503AvgMs) ? v.timeTo503AvgMs.toFixed(1) : '-'} ms to the 503), ` +
        `completed ${v.completed}, failed otherwise ${v.failed} (${v.failedDetail}); setup avg ${v.setupAvgMs.toFixed(1)} ms, retransmissions ${v.retransmissions}, ` +
        `cpu ${fmtCpu(v.cpuByRole)}, load ${v.loadAvg.toFixed(2)}, rcvbuf drops ${v.rcvbufErrors}`,
    );
    for (const p of v.logProblems.slice(0, 8)) L.push(`  log: ${p}`);
    if (v.recovery !== undefined) L.push(`  recovery right after: ${fmt(v.recovery)}`);
  }
  for (const r of results) {
    const m = r.memory;
    if (m === undefined) continue;
    L.push('');
    L.push(
      `Memory (${r.name}, fresh process after a warm-up at the ramp's rate): ${m.calls} concurrent calls with media anchoring in ${o.memoryRtpengines} rtpengine(s) ` +
        `(one takes ~6 ports and sockets per call: its 20 000-port range and 20 000 open files cap it near 3 300), ${m.rate} calls/s, hold ${(m.holdMs / 1000).toFixed(0)} s; ` +
        `${m.successful}/${m.established} ok, ${m.failed} failed`,
    );
    L.push(['process', 'before', 'all up', 'after', 'per ok call'].map((h) => pad(h, 12)).join(' | '));
    for (const k of Object.keys(m.up)) {
      const b = m.before[k];
      const u = m.up[k];
      const per =
        b === undefined || u === undefined
          ? '-'
          : `${((u - b) / Math.max(1, m.successful) / 1024).toFixed(1)} KiB`;
      L.push([k, mib(b), mib(u), mib(m.after[k]), per].map((h) => pad(h, 12)).join(' | '));
    }
    const engines = Object.keys(m.up).filter((k) => k.startsWith('rtpengine'));
    if (engines.length > 1) {
      const sum = (x: Record<string, number | undefined>): number =>
        engines.reduce((t, k) => t + (x[k] ?? 0), 0);
      const per = (sum(m.up) - sum(m.before)) / Math.max(1, m.successful) / 1024;
      L.push(
        ['rtpengines', mib(sum(m.before)), mib(sum(m.up)), mib(sum(m.after)), `${per.toFixed(1)} KiB`]
          .map((h) => pad(h, 12))
          .join(' | '),
      );
    }
    if (m.redisUp !== undefined && m.redisBefore !== undefined) {
      const per = (m.redisUp.usedMemory - m.redisBefore.usedMemory) / Math.max(1, m.successful) / 1024;
      L.push(
        [
          `redis used`,
          mib(m.redisBefore.usedMemory),
          mib(m.redisUp.usedMemory),
          mib(m.redisAfter?.usedMemory),
          `${per.toFixed(1)} KiB`,
        ]
          .map((h) => pad(h, 12))
          .join(' | ') + `   keys ${m.redisBefore.keys} → ${m.redisUp.keys} → ${m.redisAfter?.keys ?? '-'}`,
      );
    }
    if (m.activeCallsMetric !== undefined)
      L.push(`  metrics with all up: ${m.activeCallsMetric.slice(0, 600)}`);
    for (const p of m.logProblems.slice(0, 8)) L.push(`  log: ${p}`);
  }
  L.push('');
  L.push('all trials:');
  for (const r of results) {
    for (const t of r.trials) L.push(`  ${r.name}: ${fmt(t)}`);
    if (r.error !== undefined) L.push(`  ${r.name}: ERROR ${r.error}`);
  }
  return L.join('\n');
}
