/**
 * Digest defences (registrar auth-guard.ts): brute-force limit per source and per user with a ban
 * in the StateStore, nonce replay refused across two "instances" sharing one store (RFC 7616
 * §3.4/§3.5), and the events counted.
 */
import assert from 'node:assert/strict';
import {
  AuthGuard,
  type AuthGuardEvent,
  type AuthGuardPolicy,
} from '../../../../lib/sbc/registrar/auth-guard';
import { DigestAuthenticator } from '../../../../lib/sbc/registrar/authenticator';
import { expectedResponse, parseAuthParams } from '../../../../lib/sbc/registrar/digest';
import { NonceIssuer } from '../../../../lib/sbc/registrar/nonce';
import { MemoryStateStore } from '../../../../lib/state/memory-store';
import { silentLog } from '../../../../lib/util/logger';

const REALM = 'sbc.example';
const URI = 'sip:sbc.example';
const POLICY: AuthGuardPolicy = {
  enabled: true,
  maxFailuresPerSource: 3,
  maxFailuresPerUser: 5,
  windowSeconds: 60,
  banSeconds: 600,
};

function setup(policy: AuthGuardPolicy = POLICY) {
  let now = 1_000_000;
  const store = new MemoryStateStore({ now: () => now });
  const events: AuthGuardEvent[] = [];
  /** One guard per instance: same secret, same store (as with Redis). */
  const instance = () =>
    new AuthGuard(
      new DigestAuthenticator({
        realm: REALM,
        users: new Map([['alice', 'alice-pw']]),
        algorithms: ['MD5'],
        nonces: new NonceIssuer('shared-secret', REALM, 300_000, () => now),
      }),
      {
        store,
        policy,
        nonceTtlSeconds: 300,
        users: new Set(['alice']),
        metrics: { event: (e) => events.push(e) },
        log: silentLog,
      },
    );
  return { store, events, a: instance(), b: instance(), advance: (ms: number) => (now += ms) };
}

function nonceOf(guard: AuthGuard): string {
  const [, value] = guard.challenges(false)[0] ?? [];
  const nonce = parseAuthParams(value ?? '')?.get('nonce');
  assert.ok(nonce !== undefined);
  return nonce;
}

function credentials(nonce: string, user: string, password: string, nc: string | undefined): string {
  const c = {
    username: user,
    realm: REALM,
    nonce,
    uri: URI,
    response: '',
    algorithm: 'MD5',
    qop: nc === undefined ? undefined : 'auth',
    nc,
    cnonce: nc === undefined ? undefined : 'c0ffee',
    opaque: undefined,
  };
  const response = expectedResponse(c, 'MD5', 'REGISTER', password);
  const qop = nc === undefined ? '' : `, qop=auth, nc=${nc}, cnonce="c0ffee"`;
  return `Digest username="${user}", realm="${REALM}", nonce="${nonce}", uri="${URI}", response="${response}", algorithm=MD5${qop}`;
}

describe('registrar auth guard', () => {
  it('accepts increasing nonce-counts and refuses a replay on another instance with a fresh challenge', async () => {
    const t = setup();
    const nonce = nonceOf(t.a);
    const first = credentials(nonce, 'alice', 'alice-pw', '00000001');
    assert.equal((await t.a.check(first, 'REGISTER', 'alice', '192.0.2.10')).kind, 'ok');
    const replay = await t.b.check(first, 'REGISTER', 'alice', '192.0.2.10');
    assert.deepEqual(replay, { kind: 'challenge', stale: false });
    const second = credentials(nonce, 'alice', 'alice-pw', '00000002');
    assert.equal((await t.b.check(second, 'REGISTER', 'alice', '192.0.2.10')).kind, 'ok');
    assert.equal((await t.a.check(second, 'REGISTER', 'alice', '192.0.2.10')).kind, 'challenge');
    assert.deepEqual(t.events, ['replay', 'replay']);
  });

  it('without qop a nonce serves one request (no nonce-count to order them)', async () => {
    const t = setup();
    const auth = credentials(nonceOf(t.a), 'alice', 'alice-pw', undefined);
    assert.equal((await t.a.check(auth, 'REGISTER', 'alice', '192.0.2.10')).kind, 'ok');
    assert.equal((await t.b.check(auth, 'REGISTER', 'alice', '192.0.2.10')).kind, 'challenge');
  });

  it('bans a source after maxFailuresPerSource wrong passwords; even right ones get 403 then', async () => {
    const t = setup();
    for (let i = 1; i <= 3; i++) {
      const wrong = credentials(nonceOf(t.a), 'alice', `guess-${i}`, '00000001');
      const r = await t.a.check(wrong, 'REGISTER', 'alice', '198.51.100.66');
      assert.equal(r.kind === 'forbidden' && r.reason, 'Wrong Credentials');
    }
    assert.equal(await t.store.isBanned('198.51.100.66'), true);
    assert.ok((await t.store.listBans())[0]?.until === 1_000_000 + 600_000);
    const right = credentials(nonceOf(t.b), 'alice', 'alice-pw', '00000001');
    const refused = await t.b.check(right, 'REGISTER', 'alice', '198.51.100.66');
    assert.equal(refused.kind === 'forbidden' && refused.reason, 'Forbidden');
    // Another source with the right password is unaffected (the user is not locked at 3 < 5).
    assert.equal((await t.b.check(right, 'REGISTER', 'alice', '192.0.2.10')).kind, 'ok');
    assert.deepEqual(t.events, ['failure', 'failure', 'failure', 'ban', 'refused-banned']);
  });

  it('counts unknown users per source only, and locks a known user attacked from many sources', async () => {
    const t = setup();
    for (let i = 0; i < 3; i++)
      await t.a.check(
        credentials(nonceOf(t.a), `u${i}`, 'x', '00000001'),
        'REGISTER',
        undefined,
        '192.0.2.20',
      );
    assert.equal(await t.store.isBanned('192.0.2.20'), true);
    assert.equal(await t.store.authFailures('user:u0'), 0);
    for (let i = 0; i < 5; i++)
      await t.a.check(
        credentials(nonceOf(t.a), 'alice', 'x', '00000001'),
        'REGISTER',
        'alice',
        `203.0.113.${i}`,
      );
    const right = credentials(nonceOf(t.a), 'alice', 'alice-pw', '00000001');
    const locked = await t.b.check(right, 'REGISTER', 'alice', '203.0.113.99');
    assert.equal(locked.kind === 'forbidden' && locked.reason, 'Too Many Failed Attempts');
    t.advance(61_000); // the window started by the first failure has closed
    assert.equal((await t.b.check(right, 'REGISTER', 'alice', '203.0.113.99')).kind, 'ok');
  });

  it('disabled: failures are counted as events but nothing is banned; no credentials: a challenge', async () => {
    const t = setup({ ...POLICY, enabled: false });
    for (let i = 0; i < 4; i++)
      await t.a.check(credentials(nonceOf(t.a), 'alice', 'x', '00000001'), 'REGISTER', 'alice', '192.0.2.30');
    assert.equal(await t.store.isBanned('192.0.2.30'), false);
    assert.deepEqual(await t.a.check(undefined, 'REGISTER', 'alice', '192.0.2.30'), {
      kind: 'challenge',
      stale: false,
    });
    assert.equal(t.events.filter((e) => e === 'failure').length, 4);
  });
});
