/** In-process digest authentication state (failure windows, nonce-counts). */
import type { AuthAttemptStore } from '../auth-attempts';
import { secondsToMs } from '../state-error';
import { ExpiringMap } from './expiring-map';

interface Window {
  count: number;
  /** Epoch milliseconds when the window (started by its first failure) closes. */
  end: number;
}

export class MemoryAuthAttempts implements AuthAttemptStore {
  private readonly failures: ExpiringMap<string, Window>;
  private readonly nonces: ExpiringMap<string, number>;

  constructor(private readonly now: () => number) {
    this.failures = new ExpiringMap(now);
    this.nonces = new ExpiringMap(now);
  }

  recordAuthFailure(key: string, windowSeconds: number): Promise<number> {
    const ms = secondsToMs('windowSeconds', windowSeconds);
    const w = this.failures.get(key) ?? { count: 0, end: this.now() + ms };
    const next = { count: w.count + 1, end: w.end };
    this.failures.set(key, next, next.end);
    return Promise.resolve(next.count);
  }

  authFailures(key: string): Promise<number> {
    return Promise.resolve(this.failures.get(key)?.count ?? 0);
  }

  advanceNonceCount(nonce: string, nc: number, ttlSeconds: number): Promise<boolean> {
    const ms = secondsToMs('ttlSeconds', ttlSeconds);
    const seen = this.nonces.get(nonce);
    if (seen !== undefined && nc <= seen) return Promise.resolve(false);
    this.nonces.set(nonce, nc, this.now() + ms);
    return Promise.resolve(true);
  }
}
