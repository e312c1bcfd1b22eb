/** The side-by-side report of bench/scale-cps.ts (memory vs Redis backend, two instances vs one). */
import os from 'node:os';
import { fmt, fmtCpu, type MemoryResult, type Options, type SbcTrial } from './sbc-cps-report';

/** One system under test: its CPS search, and (backends) its memory with calls held. */
export interface ScaleResult {
  name: string;
  note: string;
  trials: SbcTrial[];
  cps: number;
  confirmation?: SbcTrial;
  memory?: MemoryResult;
  error?: string;
}

export interface ScaleResults {
  memoryBackend?: ScaleResult;
  redisBackend?: ScaleResult;
  /** One instance, Redis backend (the baseline of `two`; the same run as redisBackend when both ran). */
  one?: ScaleResult;
  two?: ScaleResult;
}

const pad = (s: string, n: number): string => s.padStart(n);
const kib = (b: number): string => (Number.isFinite(b) ? `${(b / 1024).toFixed(1)} KiB` : '-');
const ratio = (a: number | undefined, b: number | undefined): string =>
  a === undefined || b === undefined || !Number.isFinite(a) || !Number.isFinite(b) || b === 0
    ? 'n/a'
    : (a / b).toFixed(2);

/** Bytes per successful concurrent call by role (RSS all up − before), plus Redis used_memory. */
export function perCall(m: MemoryResult): Record<string, number> {
  const n = Math.max(1, m.successful);
  const out: Record<string, number> = {};
  for (const k of Object.keys(m.up)) {
    const b = m.before[k];
    const u = m.up[k];
    if (b !== undefined && u !== undefined) out[`${k} rss`] = (u - b) / n;
  }
  if (m.redisUp && m.redisBefore)
    out['redis used_memory'] = (m.redisUp.usedMemory - m.redisBefore.usedMemory) / n;
  out['total rss'] = ['sut rss', 'rtpengine rss', 'redis rss'].reduce((s, k) => s + (out[k] ?? 0), 0);
  return out;
}

function cpsTable(L: string[], rows: readonly ScaleResult[]): void {
  const head = [
    'system',
    'CPS',
    'setup avg',
    'p95',
    'retrans',
    'cpu by role (% of one core)',
    'load1',
    'trials',
  ];
  const w = [22, 6, 9, 5, 7, 60, 5, 6];
  L.push(head.map((h, i) => pad(h, w[i] ?? 6)).join(' | '));
  for (const r of rows) {
    const c = r.confirmation;
    const cells = [
      r.name,
      String(r.cps),
      c === undefined ? '-' : `${c.setupAvgMs.toFixed(1)} ms`,
      c?.setupP95 ?? '-',
      c === undefined ? '-' : `${c.retransPct.toFixed(2)}%`,
      c === undefined
        ? '-'
        : `${fmtCpu(c.cpuByRole)} uac ${c.uacCpu.toFixed(0)}% uas ${c.uasCpu.toFixed(0)}%`,
      c === undefined ? '-' : c.loadAvg.toFixed(2),
      String(r.trials.length),
    ];
    L.push(
      cells.map((x, i) => pad(x, w[i] ?? 6)).join(' | ') +
        (r.error === undefined ? '' : `  ERROR: ${r.error}`),
    );
  }
}

function memoryTable(L: string[], mem: ScaleResult, red: ScaleResult): void {
  const a = mem.memory;
  const b = red.memory;
  if (a === undefined || b === undefined) return;
  L.push('');
  L.push(
    `Memory per concurrent call (fresh process after a warm-up; ${a.calls} calls held at once, ${a.rate} calls/s, ` +
      `all up − before, divided by the successful calls): memory ${a.successful}/${a.established} ok, ${a.failed} failed; ` +
      `redis ${b.successful}/${b.established} ok, ${b.failed} failed`,
  );
  const pa = perCall(a);
  const pb = perCall(b);
  L.push(['per call', 'memory', 'redis', 'redis/memory'].map((h) => pad(h, 18)).join(' | '));
  const order = ['sut rss', 'rtpengine rss', 'redis rss', 'redis used_memory', 'total rss'];
  for (const k of order.filter((x) => x in pa || x in pb)) {
    L.push([k, kib(pa[k] ?? NaN), kib(pb[k] ?? NaN), ratio(pb[k], pa[k])].map((h) => pad(h, 18)).join(' | '));
  }
  if (b.redisUp !== undefined)
    L.push(
      `  redis keys before / all up / after: ${b.redisBefore?.keys ?? '-'} / ${b.redisUp.keys} / ${b.redisAfter?.keys ?? '-'}`,
    );
  for (const [n, m] of [
    ['memory', a],
    ['redis', b],
  ] as const) {
    if (m.activeCallsMetric !== undefined)
      L.push(`  ${n}: metrics with all up: ${m.activeCallsMetric.slice(0, 300)}`);
    for (const p of m.logProblems.slice(0, 5)) L.push(`  ${n}: log: ${p}`);
  }
}

export function formatScaleReport(r: ScaleResults, o: Options): string {
  const L: string[] = [];
  L.push(
    `Palisade scale-out costs: short calls with SDP (INVITE/SDP → 100 → 180 → 200/SDP → ACK → ${o.holdMs} ms → BYE → 200), UDP, loopback`,
  );
  L.push(
    `method: RFC 7501/7502 — rates doubling from ${o.startRate}/s (${o.stepSeconds} s per step), binary search to ${(o.resolution * 100).toFixed(0)} %, ` +
      `confirmation ${o.confirmSeconds} s; pass = 0 failed calls (UAC and UAS), retransmissions < 1 % of 7 messages/call, placed ≥ 95 % of asked`,
  );
  const cores = os.cpus().length;
  L.push(
    `host: ${cores} core(s), ${os.cpus()[0]?.model ?? '?'}, load1 at the end ${(os.loadavg()[0] ?? 0).toFixed(2)}`,
  );
  L.push(
    `CAVEAT: every process of a run shares these ${cores} core(s): sipp UAC(s) and UAS, each Palisade, its rtpengine and redis-server. ` +
      'Two instances here compete for the same cores as one, so "two vs one" shows the cost of coordination through Redis ' +
      'and of core contention, not horizontal scaling (that needs instances on separate hosts or pinned cores).',
  );
  const all = [r.memoryBackend, r.redisBackend, r.one, r.two].filter(
    (x): x is ScaleResult => x !== undefined,
  );
  for (const x of [...new Set(all)]) L.push(`  ${x.name}: ${x.note}`);

  if (r.memoryBackend || r.redisBackend) {
    L.push('');
    L.push('1. One instance: memory vs Redis state backend (the cost of shared state)');
    cpsTable(
      L,
      [r.memoryBackend, r.redisBackend].filter((x): x is ScaleResult => x !== undefined),
    );
    L.push(
      `ratio CPS redis/memory = ${ratio(r.redisBackend?.cps, r.memoryBackend?.cps)}; ` +
        `sut cpu per call redis/memory = ${ratio(cpuPerCall(r.redisBackend), cpuPerCall(r.memoryBackend))} ` +
        '(Palisade process % of one core / CPS, confirmation runs)',
    );
    if (r.memoryBackend && r.redisBackend) memoryTable(L, r.memoryBackend, r.redisBackend);
  }
  if (r.two) {
    L.push('');
    L.push(
      '2. Total CPS: two instances sharing one redis-server (one sipp UAC each, rate split evenly, one sipp UAS) vs one',
    );
    cpsTable(
      L,
      [r.one, r.two].filter((x): x is ScaleResult => x !== undefined),
    );
    L.push(`ratio CPS two/one = ${ratio(r.two.cps, r.one?.cps)} (2.00 = linear; see the CAVEAT above)`);
  }
  L.push('');
  L.push('all trials:');
  for (const x of [...new Set(all)]) {
    for (const t of x.trials) L.push(`  ${x.name}: ${fmt(t)}`);
    if (x.error !== undefined) L.push(`  ${x.name}: ERROR ${x.error}`);
  }
  return L.join('\n');
}

function cpuPerCall(r: ScaleResult | undefined): number | undefined {
  const c = r?.confirmation;
  const cpu = c?.cpuByRole['sut'];
  return c === undefined || cpu === undefined || r === undefined || r.cps === 0 ? undefined : cpu / r.cps;
}
