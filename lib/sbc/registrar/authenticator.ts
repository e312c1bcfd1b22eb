/**
 * Local registrar authentication (RFC 3261 §22.4, RFC 7616): a REGISTER without (usable)
 * credentials is challenged with one WWW-Authenticate per configured algorithm, in preference
 * order; credentials for another realm, an algorithm not offered or a nonce that is not ours are
 * challenged afresh; a stale nonce with the right response is challenged with stale=TRUE; a
 * wrong password, an unknown user, or a user registering someone else's AOR is forbidden (403).
 * Device calls use the same users, realm and nonces as a proxy would (RFC 3261 §22.3: 407 with
 * Proxy-Authenticate, credentials in Proxy-Authorization), with no AOR to match.
 */
import type { HeaderField } from '../../sip';
import {
  asAlgorithm,
  challenge,
  expectedResponse,
  parseDigestCredentials,
  sameDigest,
  type DigestAlgorithm,
  type DigestCredentials,
} from './digest';
import type { NonceIssuer } from './nonce';

export type AuthOutcome =
  | { kind: 'ok'; username: string }
  | { kind: 'challenge'; stale: boolean }
  /** `cause`: which check failed (wrong passwords and unknown users count as failed attempts). */
  | { kind: 'forbidden'; reason: string; cause: ForbiddenCause };

export type ForbiddenCause = 'unknown-user' | 'wrong-password' | 'wrong-aor' | 'refused';

export interface AuthenticatorOptions {
  realm: string;
  /** user → password */
  users: ReadonlyMap<string, string>;
  algorithms: readonly DigestAlgorithm[];
  nonces: NonceIssuer;
}

export class DigestAuthenticator {
  constructor(private readonly o: AuthenticatorOptions) {}

  /** `aorUser`: the AOR's user the credentials must belong to; undefined: any configured user. */
  check(authorization: string | undefined, method: string, aorUser: string | undefined): AuthOutcome {
    const c = authorization === undefined ? undefined : parseDigestCredentials(authorization);
    return this.checkCredentials(c, method, aorUser);
  }

  /** As `check`, for credentials already read from the header (undefined: none usable). */
  checkCredentials(
    c: DigestCredentials | undefined,
    method: string,
    aorUser: string | undefined,
  ): AuthOutcome {
    const fresh: AuthOutcome = { kind: 'challenge', stale: false };
    if (!c || c.realm !== this.o.realm) return fresh;
    const algorithm = asAlgorithm(c.algorithm);
    if (algorithm === undefined || !this.o.algorithms.includes(algorithm)) return fresh;
    if (c.qop !== undefined && (c.qop !== 'auth' || c.nc === undefined || c.cnonce === undefined))
      return fresh;
    const nonce = this.o.nonces.check(c.nonce);
    if (nonce === 'invalid') return fresh;
    const password = this.o.users.get(c.username);
    if (password === undefined) return { kind: 'forbidden', reason: 'Unknown User', cause: 'unknown-user' };
    if (!sameDigest(expectedResponse(c, algorithm, method, password), c.response))
      return { kind: 'forbidden', reason: 'Wrong Credentials', cause: 'wrong-password' };
    if (nonce === 'stale') return { kind: 'challenge', stale: true };
    if (aorUser !== undefined && c.username !== aorUser)
      return { kind: 'forbidden', reason: 'Not Allowed For This AOR', cause: 'wrong-aor' };
    return { kind: 'ok', username: c.username };
  }

  /**
   * The WWW-Authenticate headers of a 401 (or Proxy-Authenticate of a 407), one per algorithm
   * (RFC 7616 §3.7: preferred first).
   */
  challenges(
    stale: boolean,
    header: 'WWW-Authenticate' | 'Proxy-Authenticate' = 'WWW-Authenticate',
  ): HeaderField[] {
    const nonce = this.o.nonces.issue();
    return this.o.algorithms.map((algorithm) => [
      header,
      challenge({ realm: this.o.realm, nonce, algorithm, stale }),
    ]);
  }
}
