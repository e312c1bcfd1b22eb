/**
 * The report of bench/engine-memory.ts: per round RSS and V8 heap per call with all calls up,
 * once settled (their set-up transactions ended), and what is left after the wait timers.
 */
import os from 'node:os';
import type { SippResult } from '../test/support/sipp';
import type { AppStats } from './engine-b2bua-app';

export interface Sample {
  label: string;
  rss: number;
  heapUsed: number;
  /** V8 heap committed (used + free space in its pages). */
  heapTotal: number;
  newSpace: number;
  external: number;
  app: AppStats['app'];
  engine: AppStats['engine'];
}

export interface Round {
  n: number;
  before: Sample;
  established: Sample;
  /** All calls still up, their set-up transactions ended. */
  settled: Sample;
  /** The same held calls after a while without new traffic (V8's memory reducer has run). */
  idle: Sample;
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

export function format(
  rs: readonly Round[],
  o: {
    n: number;
    rate: number;
    timers: { t1: number; t2: number; t4: number };
    timerWaitMs: number;
    idleMs: number;
  },
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
  L.push(
    'round | held calls   | calls up | stack txns (srv/cli) | RSS | RSS/call | heap | heap/call | heap committed | external | ext/call',
  );
  for (const [i, r] of rs.entries()) {
    for (const [label, smp] of [
      ['settled', r.settled],
      [`idle ${(o.idleMs / 1000).toFixed(0)} s`, r.idle],
    ] as const) {
      const up = Math.max(1, smp.app.active);
      const txns = `${smp.engine.stackServerTxns ?? '?'}/${smp.engine.stackClientTxns ?? '?'}`;
      L.push(
        [
          String(i + 1).padStart(5),
          label.padEnd(12),
          String(smp.app.active).padStart(8),
          txns.padStart(20),
          mb(smp.rss).padStart(9),
          kb((smp.rss - r.before.rss) / up).padStart(8),
          mb(smp.heapUsed).padStart(9),
          kb((smp.heapUsed - r.before.heapUsed) / up).padStart(9),
          mb(smp.heapTotal).padStart(14),
          mb(smp.external).padStart(8),
          kb((smp.external - r.before.external) / up).padStart(8),
        ].join(' | '),
      );
    }
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
