/**
 * Stateless nonces (RFC 7616 §3.3 leaves the nonce format to the server): issue time and a random
 * part, with an HMAC over both and the realm, so any instance holding the same secret can check a
 * nonce without shared state. A nonce with a valid MAC but older than its lifetime is `stale`
 * (answered with stale=TRUE: the client retries with the same credentials, no user prompt).
 * Replays within the lifetime are not tracked (that would need shared nonce-count state).
 */
import { randomBytes } from 'node:crypto';
import { signToken, verifyToken, type TokenSecret } from '../nat/signed-token';

export type NonceCheck = 'valid' | 'stale' | 'invalid';

/** Nonces from up to this far in the future are accepted (clock skew between instances). */
const SKEW_MS = 5000;

export class NonceIssuer {
  constructor(
    private readonly secret: TokenSecret,
    private readonly realm: string,
    private readonly ttlMs: number,
    private readonly now: () => number,
  ) {}

  issue(): string {
    const ts = this.now().toString(36);
    const rand = randomBytes(9).toString('base64url');
    return `${ts}.${rand}.${signToken(this.secret, [ts, rand, this.realm])}`;
  }

  check(nonce: string): NonceCheck {
    const [ts, rand, mac, extra] = nonce.split('.');
    if (ts === undefined || rand === undefined || mac === undefined || extra !== undefined) return 'invalid';
    if (!verifyToken(this.secret, mac, [ts, rand, this.realm])) return 'invalid';
    const age = this.now() - parseInt(ts, 36);
    if (!Number.isFinite(age) || age < -SKEW_MS) return 'invalid';
    return age > this.ttlMs ? 'stale' : 'valid';
  }
}
