/**
 * Where the CPU goes per call: `palisade start` (`--target sbc`, Redis, its own rtpengine; as
 * bench/sbc-cps) or the engine + minimal createB2BUA app (`--target engine`, as bench/engine-cps)
 * under a fixed sipp call rate with V8's CPU profiler on every thread, then a summary per thread:
 * CPU µs per call by code area (drachtio-srf, lib/sbc, lib/engine, lib/sip, logging, metrics,
 * Redis client, Node internals, GC) and the hottest functions by self time.
 *
 *   node dist/bench/cpu-profile.js [--target sbc|engine] [--rate 150] [--seconds 20]
 *        [--engine-thread worker|main] [--top 25] [--dir /tmp/palisade-profile]
 *
 * Only the load phase counts (not start-up). Figures are for comparing runs on the same machine;
 * the profiler itself costs some CPU.
 */
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { freeUdpPort } from '../test/support/ports';
import { measuredTrial } from './sbc-cps';
import { palisadeTarget as engineTarget, runTrial } from './call-load';
import { palisadeTarget } from './sbc-targets';
import { summarizeProfile } from './cpu-profile-summary';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      target: { type: 'string', default: 'sbc' },
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
  const flags = ['--cpu-prof', `--cpu-prof-dir=${dir}`]; // beside bin/palisade's own flags
  const uasPort = await freeUdpPort();
  const now = (): number => Number(process.hrtime.bigint() / 1000n);
  const window = { from: 0, to: 0 };
  let calls = 0;
  let summary: string;
  if (values.target === 'engine') {
    const sut = await engineTarget({
      engineThread: thread === 'worker',
      nodeFlags: flags,
    }).start(uasPort, await freeUdpPort());
    try {
      window.from = now();
      const t = await runTrial('confirm', sut, uasPort, { rate, seconds, holdMs: 1000 });
      window.to = now();
      calls = t.successful;
      summary = `${t.successful} successful, ${t.failed} failed, ${t.retransPct.toFixed(2)} % retransmissions, SUT CPU ${(t.sutCpu ?? 0).toFixed(0)} %`;
    } finally {
      await sut.stop();
    }
  } else {
    const sut = await palisadeTarget({ engineThread: thread, nodeFlags: flags }).start(
      uasPort,
      await freeUdpPort(),
    );
    try {
      window.from = now();
      const t = await measuredTrial('confirm', sut, uasPort, rate, seconds, { holdMs: 1000 });
      window.to = now();
      calls = t.successful;
      summary =
        `${t.successful} successful, ${t.failed} failed, ${t.retransPct.toFixed(2)} % retransmissions; CPU ` +
        Object.entries(t.cpuByRole)
          .map(([k, v]) => `${k} ${v.toFixed(0)} %`)
          .join(', ');
    } finally {
      await sut.stop();
    }
  }
  console.log(`${values.target} at ${rate} calls/s for ${seconds} s: ${summary}`);
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
