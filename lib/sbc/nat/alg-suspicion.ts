/**
 * Per-client ALG evidence (issue 7 point 6), small and bounded: one decaying counter per signal,
 * the last few evidence lines and the last few registration source ports. Counters halve every
 * `halfLifeMs` on an injected clock, so a client whose router ALG was switched off stops being
 * suspected on its own. `assess` is pure over a snapshot.
 */
import type { Clock } from '../../util/clock';
import { ALG_SIGNALS, type AlgFinding, type AlgSignal } from './alg-detect';

export interface AlgPolicy {
  halfLifeMs: number;
  /** What one observation of each signal adds to the score. */
  weights: Readonly<Record<AlgSignal, number>>;
  /** Suspected at or above this score. */
  threshold: number;
  /** A signal is listed while its decayed count is at least this. */
  minCount: number;
  /** (f) Registration instability: this many source-port changes within the window. */
  registrationWindowMs: number;
  maxPortChanges: number;
}

export const DEFAULT_ALG_POLICY: AlgPolicy = {
  halfLifeMs: 3_600_000,
  // Tampering and a broken signature are proof on their own; the rest need a repeat or company.
  weights: {
    'partial-rewrite': 0.5,
    'contact-sdp-mismatch': 0.5,
    'via-params-tampered': 1,
    'signed-param-altered': 1,
    'media-port-mismatch': 0.5,
    'registration-unstable': 0.5,
    // a STUN client can look the same (alg-identity.ts): one observation is never enough
    'identity-private': 0.5,
  },
  threshold: 1,
  minCount: 0.5,
  registrationWindowMs: 600_000,
  maxPortChanges: 3,
};

/** A snapshot: counters decayed to the time it was taken. */
export interface AlgEvidence {
  counters: Readonly<Record<AlgSignal, number>>;
  score: number;
  /** Most recent last. */
  evidence: readonly string[];
}

export interface AlgAssessment {
  suspected: boolean;
  /** Signals seen recently (decayed count ≥ minCount), in ALG_SIGNALS order. */
  signals: AlgSignal[];
  evidence: string[];
}

const MAX_EVIDENCE = 8;
const MAX_DETAIL = 160;
/** Counters saturate so that a burst cannot keep a client suspected for days. */
const MAX_COUNT = 10;

function zeroCounters(): Record<AlgSignal, number> {
  return Object.fromEntries(ALG_SIGNALS.map((s) => [s, 0])) as Record<AlgSignal, number>;
}

export function scoreOf(counters: Readonly<Record<AlgSignal, number>>, policy: AlgPolicy): number {
  return ALG_SIGNALS.reduce((sum, s) => sum + counters[s] * policy.weights[s], 0);
}

/**
 * Slack on the threshold: counters decay continuously, so two findings from one request are a
 * hair apart; anything within 1 % (about a minute at the default half-life) counts as together.
 */
const SLACK = 0.99;

/** Pure decision over a snapshot. */
export function assess(evidence: AlgEvidence, policy: AlgPolicy = DEFAULT_ALG_POLICY): AlgAssessment {
  return {
    suspected: scoreOf(evidence.counters, policy) >= policy.threshold * SLACK,
    signals: ALG_SIGNALS.filter((s) => evidence.counters[s] >= policy.minCount),
    evidence: [...evidence.evidence],
  };
}

export class AlgSuspicion {
  private readonly counts = zeroCounters();
  private updatedAt = 0;
  private readonly lines: string[] = [];
  private readonly registrations: { at: number; port: number }[] = [];

  constructor(
    private readonly clock: Pick<Clock, 'now'>,
    private readonly policy: AlgPolicy = DEFAULT_ALG_POLICY,
  ) {
    this.updatedAt = clock.now();
  }

  /** Add one observation. */
  record(finding: AlgFinding): void {
    this.decay();
    this.counts[finding.signal] = Math.min(MAX_COUNT, this.counts[finding.signal] + 1);
    this.lines.push(`${finding.signal}: ${finding.detail}`.slice(0, MAX_DETAIL));
    if (this.lines.length > MAX_EVIDENCE) this.lines.shift();
  }

  /**
   * (f) A (re-)registration arrived from this source port. Records and returns a finding when the
   * port changed maxPortChanges times within the window, then starts counting afresh.
   */
  noteRegistration(sourcePort: number): AlgFinding | undefined {
    const now = this.clock.now();
    const since = now - this.policy.registrationWindowMs;
    while (this.registrations.length > 0 && (this.registrations[0]?.at ?? now) < since) {
      this.registrations.shift();
    }
    this.registrations.push({ at: now, port: sourcePort });
    if (this.registrations.length > this.policy.maxPortChanges + 1) this.registrations.shift();
    const ports = this.registrations.map((r) => r.port);
    const changes = ports.filter((p, i) => i > 0 && p !== ports[i - 1]).length;
    if (changes < this.policy.maxPortChanges) return undefined;
    this.registrations.splice(0, this.registrations.length - 1);
    const minutes = Math.round(this.policy.registrationWindowMs / 60_000);
    const finding: AlgFinding = {
      signal: 'registration-unstable',
      detail: `source port changed ${changes}× within ${minutes} min (${ports.join(', ')})`,
    };
    this.record(finding);
    return finding;
  }

  /** Counters decayed to now, the score and the recent evidence lines. */
  evidence(): AlgEvidence {
    this.decay();
    const counters = { ...this.counts };
    return { counters, score: scoreOf(counters, this.policy), evidence: [...this.lines] };
  }

  /** Nothing left worth keeping: the owner may drop this client's entry. */
  quiet(): boolean {
    const last = this.registrations.at(-1);
    const recent = last !== undefined && last.at >= this.clock.now() - this.policy.registrationWindowMs;
    return this.evidence().score < 0.05 && !recent;
  }

  private decay(): void {
    const now = this.clock.now();
    const factor = 0.5 ** ((now - this.updatedAt) / this.policy.halfLifeMs);
    this.updatedAt = now;
    if (factor === 1) return;
    for (const s of ALG_SIGNALS) this.counts[s] *= factor;
  }
}
