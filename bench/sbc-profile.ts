/**
 * Where the SBC's CPU goes per call: `palisade start` (Redis, its own rtpengine; as bench/sbc-cps)
 * under a fixed sipp call rate with V8's CPU profiler on every thread, then a summary per thread:
 * CPU µs per call by code area (drachtio-srf, lib/sbc, lib/engine, lib/sip, logging, metrics,
 * Redis client, Node internals, GC) and the hottest functions by self time.
 *
 *   node dist/bench/sbc-profile.js [--rate 150] [--seconds 20] [--engine-thread worker|main]
 *        [--top 25] [--dir /tmp/palisade-profile]
 *
 * Only the load phase counts (not start-up). Figures are for comparing runs on the same machine;
 * the profiler itself costs some CPU.
 */
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { freeUdpPort } from '../test/support/ports';
import { measuredTrial } from './sbc-cps';
import { palisadeNodeFlags } from './call-load';
import { palisadeTarget } from './sbc-targets';
import { summarizeProfile } from './cpu-profile-summary';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      rate: { type: 'string', default: '150' },
      seconds: { type: 'string', default: '20' },
      'engine-thread': { type: 'string', default: 'worker' },
      top: { type: 'string', default: '25' },
      dir: { type: 'string', default: '/tmp/palisade-profile' },
    },
  });
  const rate = Number(values.rate);
  const seconds = Number(values.seconds);
  const dir = values.dir;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const thread = values['engine-thread'] === 'main' ? 'main' : 'worker';
  const target = palisadeTarget({
    engineThread: thread,
    nodeFlags: [...palisadeNodeFlags(), '--cpu-prof', `--cpu-prof-dir=${dir}`],
  });
  const uasPort = await freeUdpPort();
  const sut = await target.start(uasPort, await freeUdpPort());
  let calls = 0;
  const now = (): number => Number(process.hrtime.bigint() / 1000n);
  const window = { from: 0, to: 0 };
  try {
    window.from = now();
    const t = await measuredTrial('confirm', sut, uasPort, rate, seconds, { holdMs: 1000 });
    window.to = now();
    calls = t.successful;
    console.log(
      `${rate} calls/s for ${seconds} s: ${t.successful} successful, ${t.failed} failed, ` +
        `${t.retransPct.toFixed(2)} % retransmissions; CPU ${Object.entries(t.cpuByRole)
          .map(([k, v]) => `${k} ${v.toFixed(0)} %`)
          .join(', ')}`,
    );
  } finally {
    await sut.stop();
  }
  const files = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'));
  for (const f of files) {
    console.log(`\n## ${f}`);
    console.log(summarizeProfile(path.join(dir, f), Math.max(1, calls), Number(values.top), window));
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
