import assert from 'node:assert/strict';
import { loadConfig } from '../../../../lib/config';
import type { Binding } from '../../../../lib/state/binding';
import { MemoryBindings } from '../../../../lib/state/memory/memory-bindings';
import { FakeClock } from '../../../../lib/util/clock';
import { silentLog } from '../../../../lib/util/logger';
import type { InboundRequest } from '../../../../lib/sbc/pipeline/context';
import { RegistrarService } from '../../../../lib/sbc/registrar/registrar-service';
import type { UpstreamRequest } from '../../../../lib/sbc/registrar/upstream';

function register(o: { contact: string; expires: number; cseq: number; callId?: string }): InboundRequest {
  const h: Record<string, string> = {
    via: 'SIP/2.0/UDP 198.51.100.7:5070;branch=z9hG4bK1;rport',
    contact: `<${o.contact}>`,
    expires: String(o.expires),
    cseq: `${o.cseq} REGISTER`,
  };
  return {
    method: 'REGISTER',
    uri: 'sip:sbc.example',
    from: '<sip:carol@sbc.example>;tag=1',
    to: '<sip:carol@sbc.example>',
    callId: o.callId ?? 'call-1',
    headers: {
      get: (n) => h[n.toLowerCase()],
      getAll: (n) => (h[n.toLowerCase()] === undefined ? [] : [h[n.toLowerCase()]!]),
      names: () => Object.keys(h),
    },
    source: { address: '198.51.100.7', port: 5070, transport: 'udp' },
  };
}

function service(yaml: string, upstream: UpstreamRequest[]) {
  let now = 1_000_000;
  const store = new MemoryBindings(() => now);
  const events: string[] = [];
  let active = 0;
  const config = loadConfig({ yamlText: yaml, env: {} }).registrar;
  const s = new RegistrarService({
    config,
    store,
    instanceId: 'i1',
    isTrunkSource: () => false,
    upstream: {
      register: (r) => {
        upstream.push(r);
        return Promise.resolve({
          status: 200,
          reason: 'OK',
          get: (n) => (n === 'expires' ? '3600' : undefined),
        });
      },
    },
    observer: {
      bound: (b: Binding) => events.push(`bound ${b.contact}`),
      unbound: (b: Binding, why) => events.push(`unbound ${b.contact} ${why}`),
    },
    metrics: { activeDelta: (d) => (active += d), outcome: (o) => events.push(o) },
    clock: new FakeClock(),
    now: () => now,
    log: silentLog,
  });
  return { s, store, events, active: () => active, advance: (ms: number) => (now += ms) };
}

describe('registrar service', () => {
  it('off: 405 with Allow', async () => {
    const { s } = service('registrar: { mode: off }', []);
    const r = await s.handle(register({ contact: 'sip:c@10.0.0.2', expires: 60, cseq: 1 }), 'udp');
    assert.equal(r.status, 405);
    assert.ok(r.headers.some(([n]) => n === 'Allow'));
  });

  it('relay: caches refreshes, goes upstream near the upstream expiry, and the sweep reports expiry', async () => {
    const sent: UpstreamRequest[] = [];
    const t = service(
      'registrar: { mode: relay, relay: { upstream: "sip:pbx.example", expires: 3600, refreshMarginSeconds: 300 } }',
      sent,
    );
    const contact = 'sip:carol@198.51.100.7:5070'; // public: no NAT cap on the device's interval
    for (let cseq = 1; cseq <= 3; cseq++) {
      const r = await t.s.handle(register({ contact, expires: 3400, cseq }), 'udp');
      assert.equal(r.status, 200);
      t.advance(50_000);
    }
    assert.equal(sent.length, 1, 'one upstream REGISTER for three device REGISTERs');
    assert.match(sent[0]?.headers['Contact'] ?? '', /^<sip:pr-[^@]+@localhost>;expires=3600$/);
    assert.deepEqual(
      t.events.filter((e) => e === 'cached' || e === 'registered'),
      ['registered', 'cached', 'cached'],
    );
    t.advance(3_200_000); // t = 3350 s: the upstream binding (3600 s) is within its 300 s margin
    await t.s.handle(register({ contact, expires: 60, cseq: 4 }), 'udp');
    assert.equal(sent.length, 2, 'the refresh near the upstream expiry goes upstream');
    assert.equal(t.active(), 1);
    t.advance(61_000);
    assert.equal(await t.s.sweep(), 1);
    assert.ok(t.events.includes(`unbound ${contact} expired`));
    assert.equal(t.active(), 0);
  });
});
