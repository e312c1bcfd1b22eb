/**
 * Embedded SIP engine metrics on the process's Metrics registry, read from the engine's own
 * tallies at scrape time: dialogs its safety net ended (lib/engine/core/dialog-safety-net.ts),
 * new requests its overload guard refused with 503 (lib/sip/stack/overload.ts), and the dialogs
 * and SIP transactions it holds now (transactions linger up to 64·T1 after a call's messages, so
 * this is the engine's memory working set), and the V8 heap of the isolate the engine runs in.
 * Label values are of a fixed set.
 */
import { Counter, Gauge } from 'prom-client';
import type { Metrics } from './metrics';

export const SWEEP_REASONS = ['orphaned', 'idle'] as const;
export type SweepReasonLabel = (typeof SWEEP_REASONS)[number];

/** As lib/sip/stack/overload.ts SHED_REASONS. */
export const SHED_REASON_LABELS = ['transactions', 'lag', 'rate', 'busy'] as const;
export type ShedReasonLabel = (typeof SHED_REASON_LABELS)[number];

export interface EngineTallies {
  swept: Readonly<Record<SweepReasonLabel, number>>;
  shed: Readonly<Record<ShedReasonLabel, number>>;
  transactions: { server: number; client: number };
  dialogs: number;
  /** V8 heap of the engine's isolate (the worker thread's own; Node's process metrics cover only the main thread). */
  heap: { usedBytes: number; totalBytes: number };
}

/** `tallies` reads the engine's counters (they only grow); async when the engine runs in a worker thread. */
export function engineMetrics(metrics: Metrics, read: () => EngineTallies | Promise<EngineTallies>): void {
  // A scrape collects every metric at once: they share one read (one snapshot message to an
  // engine worker thread, not four).
  let pending: Promise<EngineTallies> | undefined;
  const tallies = (): Promise<EngineTallies> =>
    (pending ??= Promise.resolve(read()).finally(() => {
      pending = undefined;
    }));
  new Counter({
    name: 'palisade_engine_dialogs_swept_total',
    help: 'Dialogs the engine ended on its own because their app was gone (orphaned) or they saw no traffic for too long (idle)',
    labelNames: ['reason'] as const,
    registers: [metrics.registry],
    async collect() {
      const { swept } = await tallies();
      this.reset();
      for (const reason of SWEEP_REASONS) this.inc({ reason }, swept[reason]);
    },
  });
  new Counter({
    name: 'palisade_sip_overload_rejected_total',
    help:
      'New out-of-dialog requests the engine refused early with 503 + Retry-After, by reason: too many server ' +
      'transactions, event-loop delay (lag), the per-second cap (rate), or a busy loop with requests queueing (busy)',
    labelNames: ['reason'] as const,
    registers: [metrics.registry],
    async collect() {
      const { shed } = await tallies();
      this.reset();
      for (const reason of SHED_REASON_LABELS) this.inc({ reason }, shed[reason]);
    },
  });
  new Gauge({
    name: 'palisade_engine_transactions',
    help: 'SIP transactions the engine holds, by kind (server, client), including those waiting out their RFC 3261 timers',
    labelNames: ['kind'] as const,
    registers: [metrics.registry],
    async collect() {
      const { transactions } = await tallies();
      this.set({ kind: 'server' }, transactions.server);
      this.set({ kind: 'client' }, transactions.client);
    },
  });
  new Gauge({
    name: 'palisade_engine_dialogs',
    help: 'SIP dialogs the engine holds on behalf of its apps',
    registers: [metrics.registry],
    async collect() {
      this.set((await tallies()).dialogs);
    },
  });
  new Gauge({
    name: 'palisade_engine_heap_bytes',
    help:
      'V8 heap of the isolate the embedded engine runs in, by kind (used, total = committed): the engine worker ' +
      "thread's own (the process's nodejs_heap_* metrics cover the main thread only); with engine.thread main, " +
      "the main thread's",
    labelNames: ['kind'] as const,
    registers: [metrics.registry],
    async collect() {
      const { heap } = await tallies();
      this.set({ kind: 'used' }, heap.usedBytes);
      this.set({ kind: 'total' }, heap.totalBytes);
    },
  });
}
