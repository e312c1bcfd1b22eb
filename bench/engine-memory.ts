/**
 * Memory per established call in Palisade's engine + drachtio-srf B2BUA app (one node process,
 * bench/engine-b2bua-app.ts, started with --expose-gc so every sample follows a full GC).
 *
 * Per round: sipp UAC (invite-uac.xml, -l N, --rate calls/s, hold long enough that all N calls are
 * up at once) → engine + app → sipp UAS. Samples the process RSS and V8 heap (a) before the round,
 * (b) with all N calls established, (b') still held once the set-up transactions have ended (RFC 6026
 * Accepted states and Timer K, ≤ 64·T1), (c) after every call has ended and the transaction wait
 * timers (Timer D/J/K/L ≤ 64·T1) have expired. (b − a)/N is the cost of one established call right
 * after the ramp, (b' − a)/N its steady cost; (c) across rounds shows whether anything grows with
 * the number of calls handled. (b'') samples the held calls once more after --idle-seconds without
 * new traffic: by then V8's memory reducer has given back the heap pages the ramp's short-lived
 * objects left free (it runs when the allocation rate is low), so (b'' − a)/N is what the held calls
 * themselves keep resident.
 *
 *   node dist/bench/engine-memory.js [--calls 20000] [--rate 500] [--rounds 2] [--t1 500]
 *        [--node-flags '--max-semi-space-size=16']
 *
 * The app releases what srf keeps of each call's setup once the caller's ACK is in
 * (lib/sbc/call/setup-release.ts, as the SBC does); --keep-setup-state measures plain srf.
 * --t1 shortens T1 (T2 = 8·T1, T4 = 10·T1) so the wait timers expire sooner; the report says so.
 * --heap-snapshots DIR writes V8 heap snapshots of the target in round 1 before the calls, with
 * all calls established and settled (b'), and with all calls ended, their transactions lingering
 * (engine-b2bua-app --heap-snapshot-dir); keep --calls small (≤ 5000) then. Report:
 * engine-memory-report.ts.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { freeUdpPort } from '../test/support/ports';
import { runSipp, startSippUas } from '../test/support/sipp';
import { palisadeTarget, rssBytes, treeCpuSeconds, udpRcvbufErrors } from './call-load';
import { format, type Round, type Sample } from './engine-memory-report';

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
      'heap-snapshots': { type: 'string' },
      'node-flags': { type: 'string', default: '' },
      'idle-seconds': { type: 'string', default: '30' },
      'keep-setup-state': { type: 'boolean', default: false },
    },
  });
  const snapshotDir = values['heap-snapshots'];
  if (snapshotDir !== undefined) mkdirSync(snapshotDir, { recursive: true });
  const n = Number(values.calls);
  const rate = Number(values.rate);
  const rounds = Number(values.rounds);
  const t1 = Number(values.t1);
  const idleMs = Number(values['idle-seconds']) * 1000;
  const timers = { t1, t2: 8 * t1, t4: 10 * t1 };
  const waitTimersMs = 64 * t1 + 5000; // Timer B/F/H/J = 64·T1; D ≥ 32 s (we wait max(D, 64·T1))
  const timerWaitMs = Math.max(waitTimersMs, t1 === 500 ? 37_000 : 0);
  const log = (l: string): void => {
    process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${l}\n`);
  };
  if (!(n > 0 && rate > 0 && rounds > 0 && t1 > 0 && idleMs >= 0)) throw new Error('bad arguments');

  const uasPort = await freeUdpPort();
  const sutPort = await freeUdpPort();
  const sut = await palisadeTarget({
    timers,
    nodeFlags: ['--expose-gc', ...values['node-flags'].split(' ').filter((f) => f !== '')],
    appArgs: [
      ...(snapshotDir === undefined ? [] : ['--heap-snapshot-dir', snapshotDir]),
      ...(values['keep-setup-state'] ? ['--keep-setup-state'] : []),
    ],
  }).start(uasPort, sutPort);
  const pid = sut.pid ?? 0;
  let snapshots = 0;
  const snapshot = async (round: number): Promise<void> => {
    if (snapshotDir === undefined || round !== 1) return;
    const done = `${snapshotDir}/heap-${++snapshots}.done`;
    process.kill(pid, 'SIGHUP');
    for (let i = 0; i < 600 && !existsSync(done); i++) await sleep(1000);
    log(
      `heap snapshot ${snapshots} ${existsSync(done) ? 'written' : 'NOT written (timeout)'} in ${snapshotDir}`,
    );
  };
  const sample = async (label: string): Promise<Sample> => {
    const st = await sut.stats?.();
    if (st === undefined) throw new Error(`no stats from the app (${label})`);
    const s = {
      label,
      rss: rssBytes(pid) ?? st.rss,
      heapUsed: st.heapUsed,
      heapTotal: st.heapTotal,
      newSpace: st.newSpace,
      external: st.external,
      app: st.app,
      engine: st.engine,
    };
    log(
      `${label}: rss ${(s.rss / MiB).toFixed(1)} MiB heap ${(s.heapUsed / MiB).toFixed(1)}/${(s.heapTotal / MiB).toFixed(1)} MiB (new space ${(s.newSpace / MiB).toFixed(1)}) ext ${(s.external / MiB).toFixed(1)} MiB ` +
        `active ${s.app.active} dialogs ${s.engine.dialogs ?? '?'} pendingServers ${s.engine.pendingServers ?? '?'} pendingClients ${s.engine.pendingClients ?? '?'} stack txns ${s.engine.stackServerTxns ?? '?'}/${s.engine.stackClientTxns ?? '?'}`,
    );
    return s;
  };
  const results: Round[] = [];
  try {
    await sleep(1000);
    for (let round = 1; round <= rounds; round++) {
      const before = await sample(`round ${round} before`);
      await snapshot(round);
      const rampMs = (n / rate) * 1000;
      const holdMs = Math.round(rampMs + 64 * t1 + 25_000 + idleMs);
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
      // the set-up transactions end within 64·T1 (RFC 6026 Accepted, Timer K); wait for them
      const settleBy = Date.now() + 64 * t1 + 5000;
      for (;;) {
        const st = await sut.stats?.();
        const txns = (st?.engine.stackServerTxns ?? 0) + (st?.engine.stackClientTxns ?? 0);
        if (txns <= Math.max(10, n / 100) || Date.now() > settleBy) break;
        await sleep(1000);
      }
      const settled = await sample(`round ${round} settled`);
      await snapshot(round);
      await sleep(idleMs);
      const idle = await sample(`round ${round} held idle ${(idleMs / 1000).toFixed(0)} s`);
      peakActive = Math.max(peakActive, established.app.active);
      const uac = await uacDone;
      // the UAC is done once the app answered its BYEs; the app's BYEs to the UAS may still be
      // in flight: stopping the UAS now would leave them to time out (Timer F) and measure that
      const byesBy = Date.now() + 64 * t1 + 5000;
      while (Date.now() < byesBy) {
        const st = await sut.stats?.();
        if ((st?.engine.dialogs ?? 0) === 0 && (st?.engine.pendingClients ?? 0) === 0) break;
        await sleep(500);
      }
      const uasResult = await uas.stop(5000);
      const lingering = await sample(`round ${round} lingering`);
      await snapshot(round);
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
        settled,
        idle,
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
  process.stdout.write(`${format(results, { n, rate, timers, timerWaitMs, idleMs })}\n`);
}

if (require.main === module) {
  main().catch((e: unknown) => {
    process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exitCode = 1;
  });
}
