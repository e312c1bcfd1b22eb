/**
 * Memory per established call in Palisade's engine + drachtio-srf B2BUA app (one node process,
 * bench/engine-b2bua-app.ts, started with --expose-gc so every sample follows a full GC).
 *
 * Per round: sipp UAC (invite-uac.xml, -l N, --rate calls/s, hold long enough that all N calls are
 * up at once) → engine + app → sipp UAS. Samples the process RSS and V8 heap (a) before the round,
 * (b) with all N calls established, (c) after every call has ended and the transaction wait timers
 * (Timer D/J/K/L ≤ 64·T1) have expired. (b − a)/N is the cost of one established call; (c) across
 * rounds shows whether anything grows with the number of calls handled.
 *
 *   node dist/bench/engine-memory.js [--calls 20000] [--rate 500] [--rounds 2] [--t1 500]
 *
 * --t1 shortens T1 (T2 = 8·T1, T4 = 10·T1) so the wait timers expire sooner; the report says so.
 */
import os from 'node:os';
import { parseArgs } from 'node:util';
import { freeUdpPort } from '../test/support/ports';
import { runSipp, startSippUas, type SippResult } from '../test/support/sipp';
import { palisadeTarget, rssBytes, treeCpuSeconds, udpRcvbufErrors } from './call-load';
import type { AppStats } from './engine-b2bua-app';

interface Sample {
  label: string;
  rss: number;
  heapUsed: number;
  external: number;
  app: AppStats['app'];
  engine: AppStats['engine'];
}

interface Round {
  n: number;
  before: Sample;
  established: Sample;
  /** All calls ended, transactions still in their wait timers (J/K/D/L). */
  lingering: Sample;
  /** Highest number of calls up at once the app reported. */
  peakActive: number;
  after: Sample;
  uac: SippResult;
  uas: SippResult;
  rcvbufErrors: number;
  sutCpu: number;
}

const MiB = 2 ** 20;
const sleep = (ms: number): Promise<void> =>
  new Promise((r) => {
    setTimeout(r, ms);
  });

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      calls: { type: 'string', default: '20000' },
      rate: { type: 'string', default: '500' },
      rounds: { type: 'string', default: '2' },
      t1: { type: 'string', default: '500' },
    },
  });
  const n = Number(values.calls);
  const rate = Number(values.rate);
  const rounds = Number(values.rounds);
  const t1 = Number(values.t1);
  const timers = { t1, t2: 8 * t1, t4: 10 * t1 };
  const waitTimersMs = 64 * t1 + 5000; // Timer B/F/H/J = 64·T1; D ≥ 32 s (we wait max(D, 64·T1))
  const timerWaitMs = Math.max(waitTimersMs, t1 === 500 ? 37_000 : 0);
  const log = (l: string): void => {
    process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${l}\n`);
  };
  if (!(n > 0 && rate > 0 && rounds > 0 && t1 > 0)) throw new Error('bad arguments');

  const uasPort = await freeUdpPort();
  const sutPort = await freeUdpPort();
  // no adaptive admission cap: the ramp to 20 000 held calls (large heap, long GCs) may trip it,
  // and this bench measures memory per call, not overload behaviour (engine-cps does)
  const sut = await palisadeTarget({
    timers,
    nodeFlags: ['--expose-gc'],
    appArgs: ['--max-utilization', '0', '--max-queue-delay-ms', '0'],
  }).start(uasPort, sutPort);
  const pid = sut.pid ?? 0;
  const sample = async (label: string): Promise<Sample> => {
    const st = await sut.stats?.();
    if (st === undefined) throw new Error(`no stats from the app (${label})`);
    const s = {
      label,
      rss: rssBytes(pid) ?? st.rss,
      heapUsed: st.heapUsed,
      external: st.external,
      app: st.app,
      engine: st.engine,
    };
    log(
      `${label}: rss ${(s.rss / MiB).toFixed(1)} MiB heap ${(s.heapUsed / MiB).toFixed(1)} MiB ext ${(s.external / MiB).toFixed(1)} MiB ` +
        `active ${s.app.active} dialogs ${s.engine.dialogs ?? '?'} pendingServers ${s.engine.pendingServers ?? '?'} pendingClients ${s.engine.pendingClients ?? '?'} stack txns ${s.engine.stackServerTxns ?? '?'}/${s.engine.stackClientTxns ?? '?'}`,
    );
    return s;
  };
  const results: Round[] = [];
  try {
    await sleep(1000);
    for (let round = 1; round <= rounds; round++) {
      const before = await sample(`round ${round} before`);
      const rampMs = (n / rate) * 1000;
      const holdMs = Math.round(rampMs + 20_000);
      const uas = await startSippUas({
        scenario: 'invite-uas.xml',
        localPort: uasPort,
        traceMessages: false,
        timeoutMs: 2 * rampMs + holdMs + 120_000,
        timeoutIsError: false,
      });
      const drops0 = udpRcvbufErrors();
      const cpu0 = treeCpuSeconds(pid);
      const wall0 = Date.now();
      const uacDone = runSipp({
        scenario: 'invite-uac.xml',
        remote: { host: '127.0.0.1', port: sut.port },
        calls: n,
        rate,
        maxConcurrent: n,
        pauseMs: holdMs,
        traceMessages: false,
        recvTimeoutMs: 30_000,
        timeoutMs: 2 * rampMs + holdMs + 60_000,
      });
      // wait until all calls are up (or the ramp plus 15 s has passed), then sample
      let peakActive = 0;
      const deadline = Date.now() + rampMs + 15_000;
      while (Date.now() < deadline) {
        await sleep(2000);
        const st = await sut.stats?.();
        peakActive = Math.max(peakActive, st?.app.active ?? 0);
        if ((st?.app.active ?? 0) >= n) break;
      }
      const established = await sample(`round ${round} established`);
      peakActive = Math.max(peakActive, established.app.active);
      const uac = await uacDone;
      const uasResult = await uas.stop(5000);
      const lingering = await sample(`round ${round} lingering`);
      const sutCpu = ((treeCpuSeconds(pid) - cpu0) / ((Date.now() - wall0) / 1000)) * 100;
      const rcvbufErrors = udpRcvbufErrors() - drops0;
      log(
        `round ${round}: uac ${uac.outcome} ${uac.stats.successful}/${n} ok ${uac.stats.failed} failed ${uac.stats.retransmissions} retrans; ` +
          `uas ${uasResult.outcome} ${uasResult.stats.failed} failed ${uasResult.stats.retransmissions} retrans; rcvbuf drops ${rcvbufErrors}`,
      );
      if (uac.errors !== '') log(`uac errors: ${uac.errors.split('\n').slice(0, 5).join(' | ')}`);
      log(`waiting ${(timerWaitMs / 1000).toFixed(0)} s for the transaction wait timers`);
      await sleep(timerWaitMs);
      const after = await sample(`round ${round} after timers`);
      results.push({
        n,
        before,
        established,
        lingering,
        peakActive,
        after,
        uac,
        uas: uasResult,
        rcvbufErrors,
        sutCpu,
      });
    }
  } finally {
    await sut.stop();
  }
  process.stdout.write(`${format(results, { n, rate, timers, timerWaitMs })}\n`);
}

function format(
  rs: readonly Round[],
  o: { n: number; rate: number; timers: { t1: number; t2: number; t4: number }; timerWaitMs: number },
): string {
  const kb = (b: number): string => `${(b / 1024).toFixed(1)} KB`;
  const mb = (b: number): string => `${(b / MiB).toFixed(1)} MiB`;
  const L: string[] = [];
  L.push(
    `Memory per established call: Palisade engine + drachtio-srf createB2BUA app (one node process, --expose-gc, GC before each sample)`,
  );
  L.push(
    `${o.n} concurrent calls per round via sipp -l ${o.n} at ${o.rate} calls/s, UDP 127.0.0.1, no media; ` +
      `timers T1 ${o.timers.t1} T2 ${o.timers.t2} T4 ${o.timers.t4} ms${o.timers.t1 === 500 ? ' (RFC 3261 defaults)' : ' (SHORTENED for the bench)'}; ` +
      `"after" = ${(o.timerWaitMs / 1000).toFixed(0)} s after the last BYE (Timer D/J/K/L expired)`,
  );
  L.push(
    `host: ${os.cpus().length} cores shared by sipp UAC, sipp UAS and Palisade; goal ≤ 16 KB RSS per call`,
  );
  L.push('');
  L.push(
    'round | calls up | ok/failed | RSS before | RSS est. | RSS/call | heap before | heap est. | heap/call | RSS after | heap after | left: dialogs/srv/cli | sut cpu',
  );
  for (const [i, r] of rs.entries()) {
    const up = Math.max(1, r.established.app.active);
    L.push(
      [
        String(i + 1).padStart(5),
        String(r.established.app.active).padStart(8),
        `${r.uac.stats.successful}/${r.uac.stats.failed + r.uas.stats.failed}`.padStart(9),
        mb(r.before.rss).padStart(10),
        mb(r.established.rss).padStart(8),
        kb((r.established.rss - r.before.rss) / up).padStart(8),
        mb(r.before.heapUsed).padStart(11),
        mb(r.established.heapUsed).padStart(9),
        kb((r.established.heapUsed - r.before.heapUsed) / up).padStart(9),
        mb(r.after.rss).padStart(9),
        mb(r.after.heapUsed).padStart(10),
        `${r.after.engine.dialogs ?? '?'}/${r.after.engine.pendingServers ?? '?'}/${r.after.engine.pendingClients ?? '?'}`.padStart(
          21,
        ),
        `${r.sutCpu.toFixed(0)}%`.padStart(7),
      ].join(' | '),
    );
  }
  L.push('');
  L.push('round | stack txns lingering (srv/cli) | heap lingering | heap/lingering txn | RSS lingering');
  for (const [i, r] of rs.entries()) {
    const srv = r.lingering.engine.stackServerTxns ?? 0;
    const cli = r.lingering.engine.stackClientTxns ?? 0;
    const txns = Math.max(1, srv + cli);
    L.push(
      [
        String(i + 1).padStart(5),
        `${srv}/${cli}`.padStart(30),
        mb(r.lingering.heapUsed).padStart(14),
        kb((r.lingering.heapUsed - r.after.heapUsed) / txns).padStart(18),
        mb(r.lingering.rss).padStart(13),
      ].join(' | '),
    );
  }
  L.push('');
  L.push(
    'calls up = calls the app had bridged and not torn down at the "est." sample; left = engine dialogs / pending server / ' +
      'pending client entries (EngineState) after the timers — all should be 0; heap after should not grow from round to round',
  );
  return L.join('\n');
}

if (require.main === module) {
  main().catch((e: unknown) => {
    process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exitCode = 1;
  });
}
