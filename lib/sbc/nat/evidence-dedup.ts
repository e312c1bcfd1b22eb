/**
 * ALG evidence counted once per client, Call-ID and signal (issue 7 point 6): retransmissions,
 * the authenticated retry of a challenged request, re-INVITEs and REGISTER refreshes on one
 * Call-ID repeat the same evidence and must not inflate a client's score, the metric or the log.
 * A (client, Call-ID, signal) may count again after `repeatAfterMs` (half the suspicion
 * half-life by default), so a long-lived registration through an ALG stays suspected.
 * Bounded: the oldest entries go first beyond `max`.
 */
import type { AlgFinding } from './alg-detect';

export interface FreshEvidence {
  findings: AlgFinding[];
  /** True when nothing had been counted yet for this client and Call-ID (log it). */
  firstForCall: boolean;
}

export class EvidenceDedup {
  /** `${client}\n${callId}` → signal → when it was last counted (ms, monotonic). */
  private readonly seen = new Map<string, Map<string, number>>();

  constructor(
    private readonly now: () => number,
    private readonly repeatAfterMs: number,
    private readonly max = 20_000,
  ) {}

  fresh(client: string, callId: string | undefined, findings: readonly AlgFinding[]): FreshEvidence {
    if (callId === undefined) return { findings: [...findings], firstForCall: false };
    const key = `${client}\n${callId}`;
    const now = this.now();
    let signals = this.seen.get(key);
    const firstForCall = signals === undefined;
    if (signals === undefined) {
      if (this.seen.size >= this.max) {
        const oldest = this.seen.keys().next();
        if (oldest.done !== true) this.seen.delete(oldest.value);
      }
      signals = new Map();
      this.seen.set(key, signals);
    }
    const out: AlgFinding[] = [];
    for (const f of findings) {
      const at = signals.get(f.signal);
      if (at !== undefined && now - at < this.repeatAfterMs) continue;
      signals.set(f.signal, now);
      out.push(f);
    }
    return { findings: out, firstForCall: firstForCall && out.length > 0 };
  }

  get size(): number {
    return this.seen.size;
  }
}
