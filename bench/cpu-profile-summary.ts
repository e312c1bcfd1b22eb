/**
 * A V8 .cpuprofile (node --cpu-prof) summarised: self time per code area and the hottest
 * functions, both as µs per call given the number of calls the profiled run carried.
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}

interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

/** Code areas, first match wins (also those of bench/alloc-profile-summary.ts). */
const AREAS: readonly (readonly [string, (url: string, fn: string) => boolean])[] = [
  ['gc', (_u, fn) => fn === '(garbage collector)'],
  ['idle', (_u, fn) => fn === '(idle)'],
  ['program (native, unattributed)', (_u, fn) => fn === '(program)'],
  ['drachtio-srf', (u) => u.includes('/node_modules/drachtio-srf/')],
  ['sip-parser of srf (drachtio-sip)', (u) => u.includes('/node_modules/drachtio-sip/')],
  ['logging (pino)', (u) => /\/node_modules\/(pino|sonic-boom|thread-stream|fast-redact)/.test(u)],
  ['metrics (prom-client)', (u) => u.includes('/node_modules/prom-client/')],
  ['redis client (ioredis)', (u) => /\/node_modules\/(ioredis|redis-parser|denque|cluster-key-slot)/.test(u)],
  ['rtpengine-client + bencode', (u) => /\/node_modules\/(rtpengine-client|bencode)/.test(u)],
  ['other node_modules', (u) => u.includes('/node_modules/')],
  ['lib/sbc', (u) => u.includes('/dist/lib/sbc/')],
  ['lib/engine', (u) => u.includes('/dist/lib/engine/')],
  ['lib/sip', (u) => u.includes('/dist/lib/sip/')],
  ['lib/media', (u) => u.includes('/dist/lib/media/')],
  ['lib/state', (u) => u.includes('/dist/lib/state/')],
  ['lib/observe', (u) => u.includes('/dist/lib/observe/')],
  ['lib (other)', (u) => u.includes('/dist/lib/')],
  ['node internals', (u) => u.startsWith('node:') || u === ''],
];

export function areaOf(url: string, fn: string): string {
  for (const [name, test] of AREAS) if (test(url, fn)) return name;
  return 'other';
}

/**
 * `window`: only samples taken within [from, to], in µs of CLOCK_MONOTONIC (V8's profile clock;
 * `process.hrtime.bigint() / 1000n` in any process on the machine), e.g. the load phase without
 * the start-up's module loading.
 */
export function summarizeProfile(
  file: string,
  calls: number,
  top: number,
  window?: { from: number; to: number },
): string {
  const p = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<number, number>();
  let at = p.startTime;
  p.samples.forEach((id, i) => {
    const delta = p.timeDeltas[i] ?? 0;
    at += delta;
    if (window !== undefined && (at < window.from || at > window.to)) return;
    selfUs.set(id, (selfUs.get(id) ?? 0) + delta);
  });
  const areas = new Map<string, number>();
  const fns = new Map<string, number>();
  let busy = 0;
  for (const [id, us] of selfUs) {
    const n = byId.get(id);
    if (!n) continue;
    const { functionName, url, lineNumber } = n.callFrame;
    const area = areaOf(url, functionName);
    areas.set(area, (areas.get(area) ?? 0) + us);
    if (area === 'idle') continue;
    busy += us;
    const where = url === '' ? '' : ` ${url.replace(/^.*\/(node_modules|dist)\//, '')}:${lineNumber + 1}`;
    const key = `${functionName || '(anonymous)'}${where}`;
    fns.set(key, (fns.get(key) ?? 0) + us);
  }
  const wall = window === undefined ? p.endTime - p.startTime : window.to - window.from;
  const perCall = (us: number): string => (us / calls).toFixed(1).padStart(8);
  const lines = [
    `wall ${(wall / 1e6).toFixed(1)} s, busy ${((busy / wall) * 100).toFixed(0)} %, ${perCall(busy).trim()} µs CPU per call (${calls} calls)`,
    '',
    '| area | µs/call | share of busy |',
    '|---|---|---|',
  ];
  for (const [area, us] of [...areas].sort((a, b) => b[1] - a[1])) {
    if (area === 'idle') continue;
    lines.push(`| ${area} | ${perCall(us)} | ${((us / busy) * 100).toFixed(1)} % |`);
  }
  lines.push('', `| top ${top} functions (self) | µs/call |`, '|---|---|');
  for (const [fn, us] of [...fns].sort((a, b) => b[1] - a[1]).slice(0, top)) {
    lines.push(`| ${fn.replace(/\|/g, '\\|')} | ${perCall(us)} |`);
  }
  return lines.join('\n');
}
