/**
 * The engine of the bench target (engine-b2bua-app.ts), in the app's own thread or — with
 * `--engine-thread` — in a worker thread of the same process (lib/engine/thread), so the same pid
 * carries all of Palisade's CPU and memory either way. One view over both: counters on demand and
 * a live copy for the once-a-second load trace.
 */
import { engineSnapshot } from '../lib/engine/thread/engine-snapshot';
import { silentLog } from '../lib/util/logger';
import { startEngine, type EngineOptions } from '../lib/engine/embedded-engine';
import { startEngineThread } from '../lib/engine/thread/engine-thread';
import type { EngineSnapshot } from '../lib/engine/thread/thread-protocol';
import type { TraceSource } from './load-trace';

export type BenchEngineOptions = Omit<EngineOptions, 'log' | 'clock'>;

export interface BenchEngine {
  readonly controlPort: number;
  snapshot(): Promise<EngineSnapshot>;
  /** For the load trace: counters refreshed every 500 ms when the engine runs in a worker. */
  traceSource(port: number): TraceSource;
  close(): Promise<void>;
}

export async function startBenchEngine(o: BenchEngineOptions, inWorker: boolean): Promise<BenchEngine> {
  if (!inWorker) {
    const engine = await startEngine({ ...o, log: silentLog });
    return {
      controlPort: engine.control.port,
      snapshot: () => Promise.resolve(engineSnapshot(engine)),
      traceSource: (port) => ({
        stats: engine.stats as unknown as Record<string, number>,
        transactions: () => engine.transactionCounts,
        dialogs: () => engine.state.dialogCount,
        port,
      }),
      close: () => engine.close(),
    };
  }
  const thread = await startEngineThread({ ...o, logLevel: 'silent', log: silentLog });
  let last = await thread.snapshot();
  let polling: NodeJS.Timeout | undefined;
  const live: Record<string, number> = { ...last.stats };
  return {
    controlPort: thread.control.port,
    snapshot: () => thread.snapshot(),
    traceSource: (port) => {
      polling ??= setInterval(() => {
        void thread.snapshot().then((s) => {
          last = s;
          Object.assign(live, s.stats);
        });
      }, 500);
      polling.unref();
      return {
        stats: live,
        transactions: () => last.transactions,
        dialogs: () => last.dialogs,
        port,
        engineElu: () => thread.eventLoopUtilization(),
      };
    },
    close: async () => {
      clearInterval(polling);
      await thread.close();
    },
  };
}
