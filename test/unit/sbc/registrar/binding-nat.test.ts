/**
 * The binding keeps its REGISTER's NAT verdict (registrar-core commitPlan, binding-nat.ts): the
 * signals NAT detection found are stored with the binding, and the verdict read back from the
 * store is the stored one even where the Contact alone would say otherwise.
 */
import assert from 'node:assert/strict';
import { loadConfig } from '../../../../lib/config';
import { NatDetector } from '../../../../lib/sbc/nat/nat-detect';
import type { InboundRequest } from '../../../../lib/sbc/pipeline/context';
import { bindingNatted } from '../../../../lib/sbc/registrar/binding-nat';
import { RegistrarService } from '../../../../lib/sbc/registrar/registrar-service';
import { MemoryBindings } from '../../../../lib/state/memory/memory-bindings';
import { FakeClock } from '../../../../lib/util/clock';
import { silentLog } from '../../../../lib/util/logger';

function register(via: string, contact: string, cseq = 1): InboundRequest {
  const h: Record<string, string> = {
    via,
    contact: `<${contact}>`,
    expires: '600',
    cseq: `${cseq} REGISTER`,
  };
  return {
    method: 'REGISTER',
    uri: 'sip:sbc.example',
    from: '<sip:dave@sbc.example>;tag=1',
    to: '<sip:dave@sbc.example>',
    callId: 'nat-1',
    headers: {
      get: (n) => h[n.toLowerCase()],
      getAll: (n) => (h[n.toLowerCase()] === undefined ? [] : [h[n.toLowerCase()]!]),
      names: () => Object.keys(h),
    },
    source: { address: '203.0.113.9', port: 40_000, transport: 'udp' },
  };
}

describe('registrar: the binding stores its NAT verdict', () => {
  it('writes natted and the signals, and bindingNatted reads them back', async () => {
    const store = new MemoryBindings(() => 1_000_000);
    const s = new RegistrarService({
      config: loadConfig({
        yamlText: 'registrar: { mode: relay, relay: { upstream: "sip:pbx.example" } }',
        env: {},
      }).registrar,
      store,
      instanceId: 'i1',
      isTrunkSource: () => false,
      upstream: { register: () => Promise.resolve({ status: 200, reason: 'OK', get: () => undefined }) },
      clock: new FakeClock(),
      now: () => 1_000_000,
      log: silentLog,
    });
    const natted = await s.handle(
      register('SIP/2.0/UDP 192.168.1.30:5060;branch=z9hG4bK1;rport', 'sip:dave@192.168.1.30:5060'),
      'udp',
    );
    assert.equal(natted.status, 200);
    const [b] = await store.getBindings('sip:dave@sbc.example');
    assert.equal(b?.nat?.natted, true);
    assert.ok(b.nat.signals.length > 0, JSON.stringify(b.nat));
    // Given the verdict "not NATed" by the inspector (e.g. publicNetworks), the stored one wins.
    await s.handle(
      register('SIP/2.0/UDP 192.168.1.30:5060;branch=z9hG4bK2;rport', 'sip:dave@192.168.1.30:5060', 2),
      'udp',
      { natted: false, signals: [] },
    );
    const [again] = await store.getBindings('sip:dave@sbc.example');
    assert.deepEqual(again?.nat, { natted: false, signals: [] });
    assert.equal(bindingNatted(again, new NatDetector()), false);
    assert.equal(bindingNatted({ ...again, nat: undefined }, new NatDetector()), true);
  });
});
