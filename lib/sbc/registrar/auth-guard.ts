/**
 * Digest authentication with the defences a public-facing registrar needs (issue 7, security),
 * around DigestAuthenticator, for REGISTER (401) and device calls (407) alike. State lives in the
 * StateStore, so the limits hold across instances:
 *
 * * Brute-force limit: wrong passwords and unknown users are counted per source address and per
 *   (configured) username in a window; a source reaching `maxFailuresPerSource` is banned
 *   (BanStore) for `banSeconds`, a username reaching `maxFailuresPerUser` is locked until its
 *   window closes. Both are answered 403 before the password is even looked at.
 * * Nonce replay (RFC 7616 §3.4/§3.5): an accepted response's nonce-count must exceed every count
 *   accepted before for that nonce; a replayed (nonce, nc) gets a fresh challenge. Without qop
 *   (RFC 2617 compatibility) there is no nc, so such a nonce is good for one request.
 */
import type { AuthAttemptStore } from '../../state/auth-attempts';
import type { BanStore } from '../../state/bans';
import type { HeaderField } from '../../sip';
import type { Log } from '../../util/logger';
import type { AuthOutcome, DigestAuthenticator } from './authenticator';
import { parseDigestCredentials, type DigestCredentials } from './digest';

export interface AuthGuardPolicy {
  enabled: boolean;
  maxFailuresPerSource: number;
  maxFailuresPerUser: number;
  windowSeconds: number;
  banSeconds: number;
}

/** Bounded metric label values (palisade_auth_guard_total{event}). */
export const AUTH_GUARD_EVENTS = ['failure', 'ban', 'refused-banned', 'refused-locked', 'replay'] as const;
export type AuthGuardEvent = (typeof AUTH_GUARD_EVENTS)[number];

export interface AuthGuardMetrics {
  event(e: AuthGuardEvent): void;
}

export const noAuthGuardMetrics: AuthGuardMetrics = { event: () => undefined };

export type AuthGuardStore = BanStore & AuthAttemptStore;

/** nonce-count is 8 hex digits (RFC 7616 §3.4). */
const NC = /^[0-9a-fA-F]{8}$/;

const FRESH: AuthOutcome = { kind: 'challenge', stale: false };

export class AuthGuard {
  constructor(
    private readonly inner: DigestAuthenticator,
    private readonly o: {
      store: AuthGuardStore;
      policy: AuthGuardPolicy;
      /** How long a nonce can be used (its nonce-count state lives as long, plus clock skew). */
      nonceTtlSeconds: number;
      /** Usernames that exist (only their failures are counted per user, so keys stay bounded). */
      users: ReadonlySet<string>;
      metrics: AuthGuardMetrics;
      log: Log;
    },
  ) {}

  /** `source`: the request's source address (what a ban applies to). */
  async check(
    authorization: string | undefined,
    method: string,
    aorUser: string | undefined,
    source: string,
  ): Promise<AuthOutcome> {
    const c = authorization === undefined ? undefined : parseDigestCredentials(authorization);
    if (c === undefined) return FRESH;
    const refused = await this.refusal(c.username, source);
    if (refused !== undefined) return refused;
    const outcome = this.inner.checkCredentials(c, method, aorUser);
    if (outcome.kind === 'forbidden') {
      if (outcome.cause === 'unknown-user' || outcome.cause === 'wrong-password')
        await this.failed(c.username, source, outcome.cause);
      return outcome;
    }
    if (outcome.kind === 'ok' && !(await this.fresh(c))) {
      this.o.metrics.event('replay');
      this.o.log.info({ source, user: c.username }, 'digest nonce-count replayed; challenged afresh');
      return FRESH;
    }
    return outcome;
  }

  challenges(stale: boolean, header?: 'WWW-Authenticate' | 'Proxy-Authenticate'): HeaderField[] {
    return this.inner.challenges(stale, header);
  }

  private async refusal(username: string, source: string): Promise<AuthOutcome | undefined> {
    const p = this.o.policy;
    if (!p.enabled) return undefined;
    const known = this.o.users.has(username);
    const [banned, userFailures] = await Promise.all([
      this.o.store.isBanned(source),
      known ? this.o.store.authFailures(userKey(username)) : Promise.resolve(0),
    ]);
    if (banned) {
      this.o.metrics.event('refused-banned');
      return { kind: 'forbidden', reason: 'Forbidden', cause: 'refused' };
    }
    if (userFailures >= p.maxFailuresPerUser) {
      this.o.metrics.event('refused-locked');
      return { kind: 'forbidden', reason: 'Too Many Failed Attempts', cause: 'refused' };
    }
    return undefined;
  }

  private async failed(username: string, source: string, cause: string): Promise<void> {
    this.o.metrics.event('failure');
    const p = this.o.policy;
    if (!p.enabled) return;
    const known = this.o.users.has(username);
    const [bySource, byUser] = await Promise.all([
      this.o.store.recordAuthFailure(sourceKey(source), p.windowSeconds),
      known ? this.o.store.recordAuthFailure(userKey(username), p.windowSeconds) : Promise.resolve(0),
    ]);
    if (bySource >= p.maxFailuresPerSource) {
      await this.o.store.ban(source, p.banSeconds, 'digest authentication failures');
      this.o.metrics.event('ban');
      this.o.log.warn(
        { source, user: username, failures: bySource, banSeconds: p.banSeconds, cause },
        'source banned after repeated digest authentication failures',
      );
    } else if (known && byUser === p.maxFailuresPerUser)
      this.o.log.warn(
        { source, user: username, failures: byUser, cause },
        'user locked after repeated digest authentication failures',
      );
  }

  /** RFC 7616 §3.4: nc counts the requests the client sent with this nonce; it must increase. */
  private fresh(c: DigestCredentials): Promise<boolean> {
    let nc = 1;
    if (c.qop !== undefined) {
      if (c.nc === undefined || !NC.test(c.nc)) return Promise.resolve(false);
      nc = parseInt(c.nc, 16);
    }
    return this.o.store.advanceNonceCount(c.nonce, nc, this.o.nonceTtlSeconds + 10);
  }
}

const sourceKey = (address: string): string => `src:${address}`;
const userKey = (user: string): string => `user:${user}`;
