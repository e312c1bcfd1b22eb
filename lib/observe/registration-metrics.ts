/**
 * Registration metrics (issue 7 point 3, DESIGN.md "Metrics"): palisade_registrations_active —
 * bindings this instance added minus those it removed or swept (summed over instances it is the
 * total, as every ended binding is reported by exactly one instance) — and
 * palisade_registrations_total{outcome} per REGISTER answered. Outcome names are a fixed set
 * given by the caller, so label values stay bounded.
 */
import { Counter, Gauge } from 'prom-client';
import type { Metrics } from './metrics';

export class RegistrationMetrics {
  private readonly active: Gauge;
  private readonly outcomes: Counter<'outcome'>;
  private readonly known: ReadonlySet<string>;

  constructor(metrics: Metrics, outcomes: readonly string[]) {
    this.known = new Set(outcomes);
    this.active = new Gauge({
      name: 'palisade_registrations_active',
      help: 'Registered contact bindings (added minus removed or expired, per instance)',
      registers: [metrics.registry],
    });
    this.outcomes = new Counter({
      name: 'palisade_registrations_total',
      help: 'REGISTER requests answered, by outcome',
      labelNames: ['outcome'] as const,
      registers: [metrics.registry],
    });
    for (const o of outcomes) this.outcomes.inc({ outcome: o }, 0);
  }

  activeDelta(delta: number): void {
    this.active.inc(delta);
  }

  outcome(outcome: string): void {
    this.outcomes.inc({ outcome: this.known.has(outcome) ? outcome : 'other' });
  }
}
