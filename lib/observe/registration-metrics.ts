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

/**
 * palisade_auth_guard_total{event} — digest authentication defences (registrar auth-guard.ts):
 * failed attempts, bans, requests refused while banned or locked, replayed nonce-counts.
 */
export class AuthGuardMetrics {
  private readonly events: Counter<'event'>;
  private readonly known: ReadonlySet<string>;

  constructor(metrics: Metrics, events: readonly string[]) {
    this.known = new Set(events);
    this.events = new Counter({
      name: 'palisade_auth_guard_total',
      help: 'Digest authentication defences: failures, bans, refusals while banned or locked, nonce replays',
      labelNames: ['event'] as const,
      registers: [metrics.registry],
    });
    for (const e of events) this.events.inc({ event: e }, 0);
  }

  event(event: string): void {
    this.events.inc({ event: this.known.has(event) ? event : 'other' });
  }
}

/**
 * palisade_registrar_relay_upstream_total{event} — relay mode's own upstream REGISTERs
 * (registrar relay-refresher.ts): refreshes made without a device REGISTER, refreshes the upstream
 * challenged, failures, and removals after a device's binding expired.
 */
export class RelayUpstreamMetrics {
  private readonly events: Counter<'event'>;

  constructor(metrics: Metrics, events: readonly string[]) {
    this.events = new Counter({
      name: 'palisade_registrar_relay_upstream_total',
      help: 'Upstream REGISTERs Palisade sent by itself in relay mode, by event',
      labelNames: ['event'] as const,
      registers: [metrics.registry],
    });
    for (const e of events) this.events.inc({ event: e }, 0);
  }

  event(event: string): void {
    this.events.inc({ event });
  }
}
