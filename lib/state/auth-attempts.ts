/**
 * Digest authentication state shared by every instance (issue 7, security): failed attempts
 * counted per key (source address, username) in a fixed window, for the brute-force limit, and
 * the highest nonce-count seen per nonce, so a replayed (nonce, nc) pair is refused wherever it
 * arrives (RFC 7616 §3.4 and §3.5: the server checks that nc increases for a nonce).
 */

export interface AuthAttemptStore {
  /**
   * Count one failed attempt under `key`; the window starts with the first failure and lasts
   * `windowSeconds`. Resolves with the failures counted in the current window (this one included).
   */
  recordAuthFailure(key: string, windowSeconds: number): Promise<number>;
  /** Failures counted under `key` in its current window (0 when none). */
  authFailures(key: string): Promise<number>;
  /**
   * Accept nonce-count `nc` for `nonce` if it is greater than every count accepted before for
   * that nonce (and record it); false for a replay. The nonce's state lives `ttlSeconds`.
   */
  advanceNonceCount(nonce: string, nc: number, ttlSeconds: number): Promise<boolean>;
}
