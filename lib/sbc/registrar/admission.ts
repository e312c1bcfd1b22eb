/**
 * Who may register, and how fast (issue 7 point 3): sources in `registrar.allow`, not a trunk
 * source unless `allowTrunkSources` (trunks are identified by address, devices by credentials),
 * a token bucket per source address, and a cap on REGISTERs being processed at once. Overload
 * is answered 503 with Retry-After (RFC 3261 §21.5.4) — a storm is turned away cheaply, never
 * queued without bound. Buckets idle for a minute are dropped, so memory follows active sources.
 */
import { maskTo, parseCidr, parseIp, type CidrBlock } from '../routing/ip-address';

export interface AdmissionPolicy {
  allow: readonly string[];
  allowTrunkSources: boolean;
  perSourcePerSecond: number;
  perSourceBurst: number;
  maxInFlight: number;
}

export type Admission = { ok: true; release: () => void } | { ok: false; status: 403 | 503; reason: string };

interface Bucket {
  tokens: number;
  at: number;
}

const IDLE_MS = 60_000;

export class RegisterAdmission {
  private readonly allow: readonly CidrBlock[];
  private readonly buckets = new Map<string, Bucket>();
  private inFlight = 0;
  private lastPrune = 0;

  constructor(
    private readonly policy: AdmissionPolicy,
    private readonly isTrunkSource: (address: string) => boolean,
    private readonly now: () => number,
  ) {
    this.allow = policy.allow.map((c) => parseCidr(c));
  }

  get busy(): number {
    return this.inFlight;
  }

  admit(address: string): Admission {
    if (!this.allowed(address)) return { ok: false, status: 403, reason: 'Forbidden' };
    if (!this.policy.allowTrunkSources && this.isTrunkSource(address))
      return { ok: false, status: 403, reason: 'Trunk Sources Do Not Register' };
    if (this.inFlight >= this.policy.maxInFlight) return { ok: false, status: 503, reason: 'Registrar Busy' };
    if (!this.take(address)) return { ok: false, status: 503, reason: 'Too Many Registrations' };
    this.inFlight++;
    let released = false;
    return {
      ok: true,
      release: () => {
        if (!released) this.inFlight--;
        released = true;
      },
    };
  }

  private allowed(address: string): boolean {
    const ip = parseIp(address);
    if (ip === undefined) return false;
    return this.allow.some((b) => b.family === ip.family && maskTo(ip, b.prefix) === b.network);
  }

  private take(address: string): boolean {
    const now = this.now();
    this.prune(now);
    const { perSourcePerSecond: rate, perSourceBurst: burst } = this.policy;
    const b = this.buckets.get(address) ?? { tokens: burst, at: now };
    b.tokens = Math.min(burst, b.tokens + ((now - b.at) / 1000) * rate);
    b.at = now;
    this.buckets.set(address, b);
    if (b.tokens < 1) return false;
    b.tokens -= 1;
    return true;
  }

  private prune(now: number): void {
    if (now - this.lastPrune < IDLE_MS) return;
    this.lastPrune = now;
    for (const [k, b] of this.buckets) if (now - b.at > IDLE_MS) this.buckets.delete(k);
  }
}
