/**
 * Embedded SIP engine metrics on the process's Metrics registry: dialogs the engine's safety net
 * ended (lib/engine/core/dialog-safety-net.ts), read from the engine's own tally at scrape time.
 * Label `reason` is one of a fixed set.
 */
import { Counter } from 'prom-client';
import type { Metrics } from './metrics';

export const SWEEP_REASONS = ['orphaned', 'idle'] as const;
export type SweepReasonLabel = (typeof SWEEP_REASONS)[number];

/** `swept` reads the engine's tally (it only grows); async when the engine runs in a worker thread. */
export function engineMetrics(
  metrics: Metrics,
  swept: () =>
    Readonly<Record<SweepReasonLabel, number>> | Promise<Readonly<Record<SweepReasonLabel, number>>>,
): void {
  new Counter({
    name: 'palisade_engine_dialogs_swept_total',
    help: 'Dialogs the engine ended on its own because their app was gone (orphaned) or they saw no traffic for too long (idle)',
    labelNames: ['reason'] as const,
    registers: [metrics.registry],
    async collect() {
      const tally = await swept();
      this.reset();
      for (const reason of SWEEP_REASONS) this.inc({ reason }, tally[reason]);
    },
  });
}
