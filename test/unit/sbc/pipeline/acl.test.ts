/**
 * The acl decision for callers that are no trunk (issue 7 point 3): the real registrar gate
 * (device-gate.ts) over an in-memory binding store and the real digest authenticator — admitted
 * over a registered flow, challenged with 407 / admitted with right credentials in local mode,
 * 403 for wrong credentials and for anyone in relay mode not calling over a registered flow.
 */
import assert from 'node:assert/strict';
import type { Binding } from '../../../../lib/state/binding';
import { MemoryBindings } from '../../../../lib/state/memory/memory-bindings';
import { MemoryStateStore } from '../../../../lib/state/memory-store';
import { silentLog } from '../../../../lib/util/logger';
import { aclDecision } from '../../../../lib/sbc/pipeline/acl-stage';
import { newCallContext, type CallContext } from '../../../../lib/sbc/pipeline/context';
import { AuthGuard } from '../../../../lib/sbc/registrar/auth-guard';
import { DigestAuthenticator } from '../../../../lib/sbc/registrar/authenticator';
import { RegistrarDeviceGate } from '../../../../lib/sbc/registrar/device-gate';
import type { DigestAlgorithm } from '../../../../lib/sbc/registrar/digest';
import { NonceIssuer } from '../../../../lib/sbc/registrar/nonce';
import { config, headersOf, inviteRequest, type RequestOverrides } from '../helpers';
import { answerChallenge } from './digest-client';

const REALM = 'sbc.example';
const DEVICE = { address: '203.0.113.7', port: 40_123, transport: 'udp' as const };

function binding(aor: string, flow = DEVICE, expiresAt = 2_000_000): Binding {
  return {
    aor,
    contact: `sip:alice@192.168.1.20:5060`,
    flow: {
      transport: flow.transport,
      sourceAddress: flow.address,
      sourcePort: flow.port,
      listenerId: 'udp',
      owner: 'i1',
    },
    path: [],
    expiresAt,
  };
}

function setup(o: { mode?: 'local' | 'relay'; trustRegisteredFlow?: boolean } = {}) {
  let now = 1_000_000;
  const store = new MemoryBindings(() => now);
  const nonces = new NonceIssuer('k', REALM, 60_000, () => now);
  const digest = new DigestAuthenticator({
    realm: REALM,
    users: new Map([
      ['alice', 'alice-pw'],
      ['bob', 'bob-pw'],
    ]),
    algorithms: ['MD5', 'SHA-256'],
    nonces,
  });
  const authenticator = new AuthGuard(digest, {
    store: new MemoryStateStore({ now: () => now }),
    policy: {
      enabled: true,
      maxFailuresPerSource: 10,
      maxFailuresPerUser: 20,
      windowSeconds: 300,
      banSeconds: 900,
    },
    nonceTtlSeconds: 60,
    users: new Set(['alice', 'bob']),
    metrics: { event: () => undefined },
    log: silentLog,
  });
  const gate = new RegistrarDeviceGate({
    store,
    domains: [REALM],
    trustRegisteredFlow: o.trustRegisteredFlow ?? true,
    auth: (o.mode ?? 'local') === 'local' ? { authenticator, realm: REALM } : undefined,
  });
  return { store, nonces, gate, advance: (ms: number) => (now += ms) };
}

/** A context as classify leaves it for a caller that is no trunk. */
function ctxOf(overrides: RequestOverrides = {}): CallContext {
  const ctx = newCallContext(
    inviteRequest({
      from: '"Alice" <sip:alice@sbc.example>;tag=a1',
      ...overrides,
      source: { ...DEVICE, ...overrides.source },
    }),
  );
  const from = /<([^>]+)>/.exec(ctx.request.from)?.[1] ?? '';
  ctx.identity = { ruri: ctx.request.uri, from, to: 'sip:+31201234567@sbc.example.com', pai: [] };
  return ctx;
}

/** Proxy-Authorization a client knowing `password` sends for `challenge`. */
function answer(
  challenge: string,
  user: string,
  password: string,
  algorithm: DigestAlgorithm = 'MD5',
): string {
  return answerChallenge(challenge, {
    user,
    password,
    algorithm,
    method: 'INVITE',
    uri: 'sip:+31201234567@sbc.example.com',
  });
}

const withAuth = (value: string): RequestOverrides => ({
  headers: headersOf([['Proxy-Authorization', value]]),
});

async function challengeOf(gate: RegistrarDeviceGate): Promise<string[]> {
  const r = await aclDecision(ctxOf({ source: { port: 1 } }), gate);
  assert.ok(r.kind === 'reject', 'rejected');
  assert.equal(r.status, 407);
  return (r.headers ?? []).map(([name, value]) => {
    assert.equal(name, 'Proxy-Authenticate');
    return value;
  });
}

describe('sbc/pipeline/acl: calls from devices', () => {
  it('a trunk source goes on untouched; without a registrar anyone else is 403', async () => {
    const ctx = ctxOf();
    ctx.sourceTrunk = config('trunks: [ { name: t, inbound: { sources: [ 203.0.113.0/24 ] } } ]').trunks[0];
    assert.equal((await aclDecision(ctx, setup().gate)).kind, 'continue');
    assert.equal(ctx.device, undefined);
    const r = await aclDecision(ctxOf(), undefined);
    assert.ok(r.kind === 'reject' && r.status === 403);
  });

  it('local: no credentials → 407, one Proxy-Authenticate per algorithm, preferred first', async () => {
    const challenges = await challengeOf(setup().gate);
    assert.equal(challenges.length, 2);
    assert.match(
      challenges[0] ?? '',
      /^Digest realm="sbc\.example", nonce="[^"]+", algorithm=MD5, qop="auth"$/,
    );
    assert.match(challenges[1] ?? '', /algorithm=SHA-256/);
  });

  for (const algorithm of ['MD5', 'SHA-256'] as const) {
    it(`local: right ${algorithm} credentials → admitted as the authenticated AOR`, async () => {
      const { gate } = setup();
      const [challenge] = await challengeOf(gate);
      const ctx = ctxOf(withAuth(answer(challenge ?? '', 'alice', 'alice-pw', algorithm)));
      assert.equal((await aclDecision(ctx, gate)).kind, 'continue');
      assert.deepEqual(ctx.device, { aor: 'sip:alice@sbc.example', admittedBy: 'digest' });
      assert.equal(ctx.registeredDevice, true);
      assert.equal(ctx.identity?.from, 'sip:alice@sbc.example');
    });
  }

  it('local: the caller is who authenticated, not who the From says', async () => {
    const { gate } = setup();
    const [challenge] = await challengeOf(gate);
    const ctx = ctxOf({
      from: '<sip:+3120555@198.51.100.9>;tag=x',
      ...withAuth(answer(challenge ?? '', 'bob', 'bob-pw')),
    });
    assert.equal((await aclDecision(ctx, gate)).kind, 'continue');
    assert.equal(ctx.identity?.from, 'sip:bob@sbc.example');
  });

  const refused: [string, string, string][] = [
    ['wrong password', 'alice', 'guess'],
    ['unknown user', 'mallory', 'alice-pw'],
  ];
  for (const [title, user, password] of refused) {
    it(`local: ${title} → 403, not admitted`, async () => {
      const { gate } = setup();
      const [challenge] = await challengeOf(gate);
      const ctx = ctxOf(withAuth(answer(challenge ?? '', user, password)));
      const r = await aclDecision(ctx, gate);
      assert.ok(r.kind === 'reject' && r.status === 403, JSON.stringify(r));
      assert.equal(ctx.device, undefined);
      assert.equal(ctx.identity?.from, 'sip:alice@sbc.example');
    });
  }

  it('local: a stale nonce with the right password → 407 stale=TRUE; a forged one → fresh 407', async () => {
    const { gate, advance } = setup();
    const [challenge] = await challengeOf(gate);
    const good = answer(challenge ?? '', 'alice', 'alice-pw');
    const forged = good.replace(
      /nonce="([^"]+)"/,
      (_m, n: string) => `nonce="${n.slice(0, -1)}${n.endsWith('A') ? 'B' : 'A'}"`,
    );
    const f = await aclDecision(ctxOf(withAuth(forged)), gate);
    assert.ok(f.kind === 'reject' && f.status === 407);
    assert.ok(f.headers?.every(([, v]) => !v.includes('stale')));
    advance(61_000);
    const s = await aclDecision(ctxOf(withAuth(good)), gate);
    assert.ok(s.kind === 'reject' && s.status === 407);
    assert.ok(s.headers?.every(([, v]) => v.includes('stale=TRUE')));
  });

  it('over the exact flow of a current binding of its From AOR: admitted without a challenge', async () => {
    const { gate, store } = setup();
    await store.putBinding(binding('sip:alice@sbc.example'));
    const ctx = ctxOf();
    assert.equal((await aclDecision(ctx, gate)).kind, 'continue');
    assert.deepEqual(ctx.device, { aor: 'sip:alice@sbc.example', admittedBy: 'flow' });
  });

  const notTheFlow: [string, RequestOverrides][] = [
    ['another source port', { source: { port: DEVICE.port + 1 } }],
    ['another address', { source: { address: '203.0.113.8' } }],
    ['another transport', { source: { transport: 'tcp' } }],
    ['another From AOR', { from: '<sip:bob@sbc.example>;tag=b' }],
  ];
  for (const [title, overrides] of notTheFlow) {
    it(`not the flow (${title}): local → 407, relay → 403`, async () => {
      for (const mode of ['local', 'relay'] as const) {
        const { gate, store } = setup({ mode });
        await store.putBinding(binding('sip:alice@sbc.example'));
        const r = await aclDecision(ctxOf(overrides), gate);
        assert.ok(
          r.kind === 'reject' && r.status === (mode === 'local' ? 407 : 403),
          `${mode}: ${JSON.stringify(r)}`,
        );
      }
    });
  }

  it('an expired binding no longer vouches for its flow', async () => {
    const { gate, store, advance } = setup({ mode: 'relay' });
    await store.putBinding(binding('sip:alice@sbc.example', DEVICE, 1_000_500));
    assert.equal((await aclDecision(ctxOf(), gate)).kind, 'continue');
    advance(1000);
    const r = await aclDecision(ctxOf(), gate);
    assert.ok(r.kind === 'reject' && r.status === 403);
  });

  it('trustRegisteredFlow off: the registered flow is challenged too (local) or refused (relay)', async () => {
    for (const mode of ['local', 'relay'] as const) {
      const { gate, store } = setup({ mode, trustRegisteredFlow: false });
      await store.putBinding(binding('sip:alice@sbc.example'));
      const r = await aclDecision(ctxOf(), gate);
      assert.ok(r.kind === 'reject' && r.status === (mode === 'local' ? 407 : 403), mode);
    }
  });
});
