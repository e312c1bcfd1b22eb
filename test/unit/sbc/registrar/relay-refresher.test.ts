/**
 * Relay mode refreshing the upstream registration by itself (relay-refresher.ts): with no device
 * REGISTER in between, Palisade re-registers upstream `refreshMarginSeconds` before the upstream
 * binding runs out (same Call-ID, CSeq up, no credentials); a second instance sharing the store
 * refreshes too; an upstream challenge marks the entry due so the device's next REGISTER goes up;
 * the device's binding expiring removes the upstream registration (expires=0).
 */
import assert from 'node:assert/strict';
import { loadConfig } from '../../../../lib/config';
import type { InboundRequest } from '../../../../lib/sbc/pipeline/context';
import { RegistrarService } from '../../../../lib/sbc/registrar/registrar-service';
import type { UpstreamRequest } from '../../../../lib/sbc/registrar/upstream';
import { MemoryBindings } from '../../../../lib/state/memory/memory-bindings';
import { FakeClock } from '../../../../lib/util/clock';
import { silentLog } from '../../../../lib/util/logger';

const AOR = 'sip:carol@sbc.example';
const CONTACT = 'sip:carol@198.51.100.7:5070';

function register(cseq: number, expires: number): InboundRequest {
  const h: Record<string, string> = {
    via: 'SIP/2.0/UDP 198.51.100.7:5070;branch=z9hG4bK1;rport',
    contact: `<${CONTACT}>`,
    expires: String(expires),
    cseq: `${cseq} REGISTER`,
    authorization: 'Digest username="carol", realm="pbx", nonce="n", uri="sip:pbx.example", response="0"',
  };
  return {
    method: 'REGISTER',
    uri: 'sip:sbc.example',
    from: `<${AOR}>;tag=1`,
    to: `<${AOR}>`,
    callId: 'device-call-1',
    headers: {
      get: (n) => h[n.toLowerCase()],
      getAll: (n) => (h[n.toLowerCase()] === undefined ? [] : [h[n.toLowerCase()]!]),
      names: () => Object.keys(h),
    },
    source: { address: '198.51.100.7', port: 5070, transport: 'udp' },
  };
}

function setup() {
  let now = 1_000_000;
  const store = new MemoryBindings(() => now);
  const clock = new FakeClock();
  const sent: UpstreamRequest[] = [];
  const events: string[] = [];
  let answer = 200;
  const config = loadConfig({
    yamlText:
      'registrar: { mode: relay, relay: { upstream: "sip:pbx.example", expires: 600, refreshMarginSeconds: 120 } }',
    env: {},
  }).registrar;
  const instance = (id: string) =>
    new RegistrarService({
      config,
      store,
      instanceId: id,
      isTrunkSource: () => false,
      upstream: {
        register: (r) => {
          sent.push(r);
          return Promise.resolve({ status: answer, reason: 'X', get: () => undefined });
        },
      },
      relayEvents: (e) => events.push(e),
      relayRandom: () => 0,
      clock,
      now: () => now,
      log: silentLog,
    });
  return {
    store,
    sent,
    events,
    a: instance('i1'),
    b: instance('i2'),
    answer: (s: number) => (answer = s),
    /** Moves both the epoch clock and the timers, then lets the refresh's promises settle. */
    advance: async (ms: number) => {
      now += ms;
      clock.advance(ms);
      for (let i = 0; i < 20; i++) await Promise.resolve();
    },
  };
}

const cseqOf = (r: UpstreamRequest | undefined): number =>
  Number(/^(\d+)/.exec(r?.headers['CSeq'] ?? '')?.[1]);

describe('relay registrar: upstream refreshes of its own', () => {
  it('refreshes upstream before the upstream expiry without a device REGISTER, again and again', async () => {
    const t = setup();
    assert.equal((await t.a.handle(register(7, 3600), 'udp')).status, 200);
    assert.equal(t.sent.length, 1);
    const first = t.sent[0]!;
    assert.ok(first.headers['Authorization'], 'the device REGISTER carries its credentials');
    await t.advance(470_000); // 600 s upstream − 120 s margin = 480 s: not yet
    assert.equal(t.sent.length, 1);
    await t.advance(20_000);
    assert.equal(t.sent.length, 2, 'refreshed by Palisade at 480 s');
    const refresh = t.sent[1]!;
    assert.equal(refresh.headers['Call-ID'], first.headers['Call-ID']);
    assert.equal(refresh.headers['From'], first.headers['From']);
    assert.equal(cseqOf(refresh), cseqOf(first) + 1);
    assert.equal(refresh.headers['Contact'], first.headers['Contact']);
    assert.equal(refresh.headers['Authorization'], undefined);
    const [b] = await t.store.getBindings(AOR);
    assert.equal(b?.upstream?.cseq, cseqOf(refresh));
    assert.ok(b.upstream.expiresAt > 1_000_000 + 1_000_000, 'upstream expiry extended');
    await t.advance(480_000);
    assert.equal(t.sent.length, 3, 'and again one interval later');
    assert.equal(cseqOf(t.sent[2]), cseqOf(refresh) + 1);
    assert.deepEqual(t.events, ['refreshed', 'refreshed']);
  });

  it('an upstream challenge marks the entry due: the next device REGISTER goes up instead of the cache', async () => {
    const t = setup();
    await t.a.handle(register(1, 3600), 'udp');
    t.answer(401);
    await t.advance(490_000);
    assert.equal(t.sent.length, 2);
    assert.deepEqual(t.events, ['challenged']);
    t.answer(200);
    await t.advance(10_000);
    await t.a.handle(register(2, 3600), 'udp');
    assert.equal(t.sent.length, 3, 'not answered from the cache');
    assert.ok(t.sent[2]?.headers['Authorization']);
    assert.ok(cseqOf(t.sent[2]) > cseqOf(t.sent[1]), 'CSeq keeps rising on the upstream Call-ID');
  });

  it('removes the upstream registration when the device binding expires (whichever instance sweeps)', async () => {
    const t = setup();
    await t.a.handle(register(1, 60), 'udp');
    await t.advance(61_000);
    assert.equal(await t.b.sweep(), 1);
    await t.advance(0);
    assert.equal(t.sent.length, 2);
    const removal = t.sent[1]!;
    assert.match(removal.headers['Contact'] ?? '', /;expires=0$/);
    assert.equal(removal.headers['Expires'], '0');
    assert.equal(removal.headers['Call-ID'], t.sent[0]?.headers['Call-ID']);
    assert.deepEqual(t.events, ['removed']);
    t.a.stop();
    t.b.stop();
  });
});
