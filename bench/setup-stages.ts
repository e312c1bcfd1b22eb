/**
 * Where an INVITE's time goes inside `palisade start` (Redis, its own rtpengine; as
 * bench/sbc-cps): a preload (bench/setup-stages-hook.ts) timestamps each initial INVITE in both
 * threads — read from UDP and posted by the engine worker, read and offered to rtpengine by the
 * B2BUA thread, the ng reply read, the B-leg INVITE posted back and written to UDP — and this
 * prints the percentiles of every stage at a fixed call rate.
 *
 *   node dist/bench/setup-stages.js [--rate 350] [--seconds 15] [--warmup-rate 250]
 *
 * A warm-up trial runs first (JIT); only the measured trial counts. The hook's own work (a regexp
 * per datagram and frame) adds a little to each stage: compare runs of this tool with each other,
 * and take setup delays as such from bench/sbc-cps (capture on the SIP port, no hook).
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { repoRoot } from '../test/support/repo';
import { freeUdpPort } from '../test/support/ports';
import { measuredTrial } from './sbc-cps';
import { percentiles } from './sbc-pcap';
import { palisadeTarget } from './sbc-targets';

const HOOK = path.join(repoRoot, 'dist', 'bench', 'setup-stages-hook.js');

/** Engine thread (E) and B2BUA thread (B) events, in the order an INVITE meets them. */
const STAGES: readonly { name: string; from: string; to: string }[] = [
  { name: 'E: UDP read → frame posted', from: 'E udp-in', to: 'E post' },
  { name: 'hop E → B (frame read)', from: 'E post', to: 'B port-in' },
  { name: 'B: frame → ng offer sent', from: 'B port-in', to: 'B offer-out' },
  { name: 'B: ng offer → reply read', from: 'B offer-out', to: 'B offer-back' },
  { name: 'B: reply → B-leg INVITE posted', from: 'B offer-back', to: 'B post' },
  { name: 'hop B → E (frame read)', from: 'B post', to: 'E port-in' },
  { name: 'E: frame → UDP written', from: 'E port-in', to: 'E udp-out' },
  { name: 'total: UDP read → UDP written', from: 'E udp-in', to: 'E udp-out' },
];

/** First time of each `<thread> <event>` per call number, from the hook's files in `dir`. */
function readTrace(dir: string): Map<string, Map<string, number>> {
  const calls = new Map<string, Map<string, number>>();
  for (const file of readdirSync(dir)) {
    // the B2BUA is the process's main thread (0), the engine its worker
    const thread = file === 'trace-0.log' ? 'B' : 'E';
    for (const line of readFileSync(path.join(dir, file), 'utf8').split('\n')) {
      const [ms, event, call] = line.split(' ');
      if (ms === undefined || event === undefined || call === undefined) continue;
      let seen = calls.get(call);
      if (seen === undefined) calls.set(call, (seen = new Map<string, number>()));
      const key = `${thread} ${event}`;
      if (!seen.has(key)) seen.set(key, Number(ms));
    }
  }
  return calls;
}

function report(calls: Map<string, Map<string, number>>): string {
  const rows = STAGES.map(({ name, from, to }) => {
    const d: number[] = [];
    for (const seen of calls.values()) {
      const a = seen.get(from);
      const b = seen.get(to);
      if (a !== undefined && b !== undefined) d.push(b - a);
    }
    const p = percentiles(d);
    const f = (v: number): string => v.toFixed(3).padStart(8);
    return `| ${name.padEnd(32)} | ${String(p.n).padStart(6)} | ${f(p.p50)} | ${f(p.p90)} | ${f(p.p99)} |`;
  });
  return [
    `| stage ${' '.repeat(26)} |  calls |  p50 ms  |  p90 ms  |  p99 ms  |`,
    `|${'-'.repeat(34)}|--------|----------|----------|----------|`,
    ...rows,
  ].join('\n');
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      rate: { type: 'string', default: '350' },
      seconds: { type: 'string', default: '15' },
      'warmup-rate': { type: 'string', default: '250' },
    },
  });
  const rate = Number(values.rate);
  const seconds = Number(values.seconds);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'palisade-stages-'));
  // read by the hook in the child (palisadeTarget spawns with this process's environment)
  process.env.SETUP_STAGES_TRACE_DIR = dir;
  const uasPort = await freeUdpPort();
  const sut = await palisadeTarget({ nodeFlags: ['--require', HOOK] }).start(uasPort, await freeUdpPort());
  try {
    await measuredTrial('step', sut, uasPort, Number(values['warmup-rate']), 10, { holdMs: 1000 });
    // the warm-up's calls reuse the same call numbers: let its last events land, then start afresh
    await new Promise((r) => setTimeout(r, 2500));
    for (const f of readdirSync(dir)) rmSync(path.join(dir, f));
    const t = await measuredTrial('confirm', sut, uasPort, rate, seconds, { holdMs: 1000 });
    await new Promise((r) => setTimeout(r, 1500));
    console.log(
      `sbc at ${rate} calls/s for ${seconds} s: ${t.successful} successful, ${t.failed} failed; ` +
        `CPU ${Object.entries(t.cpuByRole)
          .map(([k, v]) => `${k} ${v.toFixed(0)} %`)
          .join(', ')}\n`,
    );
    console.log(report(readTrace(dir)));
  } finally {
    await sut.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
