/**
 * Benchmark target: Palisade's embedded SIP engine and a minimal drachtio-srf B2BUA app in one
 * process (so one pid carries all of Palisade's CPU and memory). Every INVITE is bridged with
 * `srf.createB2BUA(req, res, uas, { localSdpB: req.body })` to the sipp UAS; a BYE on either leg
 * destroys the other one. No media, no state store. Once the caller's ACK is in, what srf keeps of
 * the call's setup is released (lib/sbc/call/setup-release.ts, as the SBC does) unless
 * --keep-setup-state.
 *
 *   node dist/bench/engine-b2bua-app.js --port 5070 --uas 127.0.0.1:5080 [--t1 500 --t2 4000 --t4 5000]
 *
 * Prints `ready <sip port> <control port>` once the app is connected. On SIGUSR2 it writes its
 * statistics as JSON (memory, heap, engine and app counters; AppStats) to --stats-file (or one
 * `stats {json}` line on stdout); with node --expose-gc it collects garbage first.
 * With --heap-snapshot-dir DIR, SIGHUP writes a V8 heap snapshot (after a GC when exposed) to
 * DIR/heap-<n>-<active calls>.heapsnapshot, then DIR/heap-<n>.done (bench/engine-memory.ts
 * --heap-snapshots; open them in Chrome DevTools → Memory, "Comparison" view).
 * --engine-thread runs the engine in a worker thread of this process (lib/engine/thread): SIP
 * parsing, transactions and socket I/O on a second core, apart from the srf app's thread.
 * SIGTERM/SIGINT: clean exit.
 */
import { renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { getHeapSpaceStatistics, writeHeapSnapshot } from 'node:v8';
import { parseArgs } from 'node:util';
import Srf from 'drachtio-srf';
import type { EngineSnapshot } from '../lib/engine/thread/thread-protocol';
import { releaseSetupStateAfterAck } from '../lib/sbc/call/setup-release';
import { startBenchEngine } from './bench-engine';
import { startLoadTrace } from './load-trace';

const SECRET = 'bench';

export interface AppCounters {
  invites: number;
  bridged: number;
  /** createB2BUA rejections by status (or error message when there is none). */
  failures: Record<string, number>;
  /** Calls bridged and not yet torn down (both legs). */
  active: number;
  ended: number;
  srfErrors: number;
  lastError: string;
}

export interface AppStats {
  /** When sampled (ms since the epoch): two samples never read the same (call-load appStats). */
  at: number;
  rss: number;
  heapUsed: number;
  heapTotal: number;
  /** V8 new space (young generation) committed: it grows with the allocation rate, not the calls. */
  newSpace: number;
  external: number;
  arrayBuffers: number;
  app: AppCounters;
  engine: Record<string, number>;
}

function countFailure(c: AppCounters, e: unknown): void {
  const err = e as { status?: number; message?: string };
  const key = err.status !== undefined ? String(err.status) : (err.message ?? String(e)).slice(0, 80);
  c.failures[key] = (c.failures[key] ?? 0) + 1;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string' },
      uas: { type: 'string' },
      t1: { type: 'string' },
      t2: { type: 'string' },
      t4: { type: 'string' },
      'stats-file': { type: 'string' },
      'heap-snapshot-dir': { type: 'string' },
      'trace-load': { type: 'boolean', default: false },
      'engine-thread': { type: 'boolean', default: false },
      'keep-setup-state': { type: 'boolean', default: false },
      'max-lag-ms': { type: 'string' },
      'max-servers': { type: 'string' },
      'max-new-per-second': { type: 'string' },
      'max-utilization': { type: 'string' },
      'max-queue-delay-ms': { type: 'string' },
    },
  });
  const sipPort = Number(values.port ?? '5070');
  const uas = values.uas ?? '127.0.0.1:5080';
  const timers = {
    t1: Number(values.t1 ?? '500'),
    t2: Number(values.t2 ?? '4000'),
    t4: Number(values.t4 ?? '5000'),
  };
  const engine = await startBenchEngine(
    {
      control: { address: '127.0.0.1', port: 0, secret: SECRET },
      listeners: [{ transport: 'udp', address: '127.0.0.1', port: sipPort }],
      timers,
      cdr: false,
      overload: {
        ...(values['max-lag-ms'] === undefined ? {} : { maxEventLoopDelayMs: Number(values['max-lag-ms']) }),
        ...(values['max-servers'] === undefined
          ? {}
          : { maxServerTransactions: Number(values['max-servers']) }),
        ...(values['max-queue-delay-ms'] === undefined
          ? {}
          : { maxQueueDelayMs: Number(values['max-queue-delay-ms']) }),
        ...(values['max-utilization'] === undefined
          ? {}
          : { maxEventLoopUtilization: Number(values['max-utilization']) }),
        ...(values['max-new-per-second'] === undefined
          ? {}
          : { maxNewRequestsPerSecond: Number(values['max-new-per-second']) }),
      },
    },
    values['engine-thread'],
  );
  if (values['trace-load']) {
    startLoadTrace(engine.traceSource(sipPort), (l) => process.stderr.write(`${l}\n`));
  }

  const c: AppCounters = {
    invites: 0,
    bridged: 0,
    failures: {},
    active: 0,
    ended: 0,
    srfErrors: 0,
    lastError: '',
  };
  const srf = new Srf();
  srf.on('error', (e: Error) => {
    c.srfErrors++;
    c.lastError = e.message;
  });
  srf.invite((req, res) => {
    c.invites++;
    srf.createB2BUA(req, res, `sip:callee@${uas}`, { localSdpB: req.body }).then(
      ({ uas: a, uac: b }) => {
        c.bridged++;
        c.active++;
        let done = false;
        const end = (other: Srf.Dialog): void => {
          if (done) return;
          done = true;
          c.active--;
          c.ended++;
          // with a callback srf does not return a promise (no unhandled rejection)
          other.destroy(undefined, (err: unknown) => {
            if (err !== null && err !== undefined) countFailure(c, err);
          });
        };
        a.on('destroy', () => {
          end(b);
        });
        b.on('destroy', () => {
          end(a);
        });
        if (!values['keep-setup-state']) releaseSetupStateAfterAck(a, b);
      },
      (e: unknown) => {
        countFailure(c, e);
      },
    );
  });
  await new Promise<void>((resolve, reject) => {
    srf.on('connect', (err: Error | null) => {
      if (err) reject(err);
      else resolve();
    });
    void srf.connect({ host: '127.0.0.1', port: engine.controlPort, secret: SECRET });
  });

  const stats = (e: EngineSnapshot): AppStats => {
    const gc = (globalThis as { gc?: () => void }).gc;
    gc?.();
    const m = process.memoryUsage();
    return {
      at: Date.now(),
      rss: m.rss,
      heapUsed: m.heapUsed,
      heapTotal: m.heapTotal,
      newSpace: getHeapSpaceStatistics().find((sp) => sp.space_name === 'new_space')?.space_size ?? 0,
      external: m.external,
      arrayBuffers: m.arrayBuffers,
      app: c,
      engine: {
        ...e.stats,
        dialogs: e.dialogs,
        pendingServers: e.pendingServers,
        pendingClients: e.pendingClients,
        stackServerTxns: e.transactions.server,
        stackClientTxns: e.transactions.client,
      },
    };
  };
  const statsFile = values['stats-file'];
  process.on('SIGUSR2', () => {
    void engine.snapshot().then((e) => {
      const json = JSON.stringify(stats(e));
      if (statsFile === undefined) process.stdout.write(`stats ${json}\n`);
      else writeFileSync(`${statsFile}.tmp`, json);
      if (statsFile !== undefined) renameSync(`${statsFile}.tmp`, statsFile);
    });
  });
  const snapshotDir = values['heap-snapshot-dir'];
  let snapshots = 0;
  if (snapshotDir !== undefined)
    process.on('SIGHUP', () => {
      (globalThis as { gc?: () => void }).gc?.();
      const n = ++snapshots;
      writeHeapSnapshot(path.join(snapshotDir, `heap-${n}-${c.active}.heapsnapshot`));
      writeFileSync(path.join(snapshotDir, `heap-${n}.done`), '');
    });
  process.on('uncaughtException', (e) => {
    process.stderr.write(`uncaughtException: ${e.stack ?? e.message}\n`);
    process.exit(70);
  });
  process.stdout.write(`ready ${sipPort} ${engine.controlPort}\n`);
  const stop = (): void => {
    srf.removeAllListeners();
    try {
      srf.disconnect();
    } catch {
      // already gone
    }
    void engine.close().then(() => process.exit(0));
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((e: unknown) => {
  process.stderr.write(`engine-b2bua-app: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
