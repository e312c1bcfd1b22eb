/**
 * Registrar wiring of the device gate per mode and NAT detection (issue 7 gaps): `registrar.calls`
 * defaults, the gate RegistrarService builds for off/local/relay, the configured NatDetector used
 * for REGISTER (not a default one), and the device leg's media profile from its binding.
 */
import assert from 'node:assert/strict';
import { loadConfig } from '../../../../lib/config';
import type { Binding } from '../../../../lib/state/binding';
import { MemoryBindings } from '../../../../lib/state/memory/memory-bindings';
import { FakeClock } from '../../../../lib/util/clock';
import { silentLog } from '../../../../lib/util/logger';
import { deviceProfile } from '../../../../lib/sbc/call/connect-registered';
import { NatDetector } from '../../../../lib/sbc/nat/nat-detect';
import { newCallContext } from '../../../../lib/sbc/pipeline/context';
import { RegistrarService } from '../../../../lib/sbc/registrar/registrar-service';
import { headersOf, inviteRequest } from '../helpers';
import { answerChallenge } from './digest-client';

function service(yaml: string, nat?: NatDetector, bound?: (signals: readonly string[]) => void) {
  const store = new MemoryBindings(() => 1_000_000);
  const s = new RegistrarService({
    config: loadConfig({ yamlText: yaml, env: {} }).registrar,
    store,
    instanceId: 'i1',
    isTrunkSource: () => false,
    ...(nat === undefined ? {} : { nat }),
    observer: { bound: (_b, facts) => bound?.(facts.signals), unbound: () => undefined },
    upstream: { register: () => Promise.reject(new Error('not in this test')) },
    clock: new FakeClock(),
    now: () => 1_000_000,
    log: silentLog,
  });
  return { s, store };
}

const LOCAL =
  'registrar: { mode: local, domains: [ sbc.example ], users: [ { user: alice, password: pw } ] }';

function binding(
  contact: string,
  flow: { address: string; port: number; transport?: 'udp' | 'tcp' },
): Binding {
  return {
    aor: 'sip:alice@sbc.example',
    contact,
    flow: {
      transport: flow.transport ?? 'udp',
      sourceAddress: flow.address,
      sourcePort: flow.port,
      listenerId: 'udp',
      owner: 'i1',
    },
    path: [],
    expiresAt: 2_000_000,
  };
}

describe('sbc/pipeline: device gate per registrar mode', () => {
  it('registrar.calls defaults: authenticate and trust the registered flow', () => {
    assert.deepEqual(loadConfig({ yamlText: LOCAL, env: {} }).registrar.calls, {
      authenticate: true,
      trustRegisteredFlow: true,
      forking: 'serial',
    });
  });

  it('off: no gate (only trunks call); local: 407; relay: unchecked (403 at acl)', async () => {
    assert.equal(service('registrar: { mode: off }').s.devices, undefined);
    const req = inviteRequest({ from: '<sip:alice@sbc.example>;tag=1' });
    const local = await service(LOCAL).s.devices?.credentials(req);
    assert.ok(local?.kind === 'challenge', JSON.stringify(local));
    assert.ok(local.headers.every(([n]) => n === 'Proxy-Authenticate'));
    const noAuth = service(`${LOCAL.slice(0, -2)}, calls: { authenticate: false } }`).s.devices;
    assert.equal((await noAuth?.credentials(req))?.kind, 'unchecked');
    const relay = service('registrar: { mode: relay, relay: { upstream: "sip:pbx.example" } }').s.devices;
    assert.equal((await relay?.credentials(req))?.kind, 'unchecked');
  });

  it('REGISTER NAT detection uses the detector it is given (nat.internalNetworks)', async () => {
    // 198.51.100.0/24 is public by default; configured internal, the private-address signals fire.
    const signalsWith = async (nat?: NatDetector): Promise<readonly string[]> => {
      const seen: (readonly string[])[] = [];
      const { s } = service(LOCAL, nat, (signals) => seen.push(signals));
      const register = (authorization?: string) =>
        s.handle(
          {
            ...inviteRequest({
              method: 'REGISTER',
              from: '<sip:alice@sbc.example>;tag=1',
              to: '<sip:alice@sbc.example>',
            }),
            uri: 'sip:sbc.example',
            headers: headersOf([
              ['Via', 'SIP/2.0/UDP 198.51.100.2:5060;branch=z9hG4bK1;rport'],
              ['Contact', '<sip:alice@198.51.100.2:5060>'],
              ['Expires', '600'],
              ['CSeq', '1 REGISTER'],
              ...(authorization === undefined ? [] : [['Authorization', authorization] as const]),
            ]),
            source: { address: '203.0.113.5', port: 5060, transport: 'udp' },
          },
          'udp',
        );
      const challenge = (await register()).headers.find(([n]) => n === 'WWW-Authenticate')?.[1] ?? '';
      const auth = answerChallenge(challenge, {
        user: 'alice',
        password: 'pw',
        method: 'REGISTER',
        uri: 'sip:sbc.example',
      });
      assert.equal((await register(auth)).status, 200);
      assert.equal(seen.length, 1);
      return seen[0] ?? [];
    };
    assert.deepEqual(await signalsWith(), ['via-host-differs', 'contact-host-differs']);
    assert.deepEqual(await signalsWith(new NatDetector(['198.51.100.0/24'])), [
      'via-host-differs',
      'via-internal',
      'contact-internal',
      'contact-host-differs',
    ]);
  });
});

describe('sbc/call/connect-registered: the device leg profile follows the binding', () => {
  const detector = new NatDetector();
  const cases: [string, Binding, 'customer-nat' | 'customer-public'][] = [
    [
      'private Contact',
      binding('sip:alice@192.168.1.20:5060', { address: '203.0.113.5', port: 41000 }),
      'customer-nat',
    ],
    [
      'UDP port rewritten by a NAT',
      binding('sip:alice@203.0.113.5:5060', { address: '203.0.113.5', port: 41000 }),
      'customer-nat',
    ],
    [
      'public, Contact = flow',
      binding('sip:alice@203.0.113.5:5060', { address: '203.0.113.5', port: 5060 }),
      'customer-public',
    ],
    [
      'TCP from an ephemeral port, public Contact',
      binding('sip:alice@203.0.113.5:5060;transport=tcp', {
        address: '203.0.113.5',
        port: 50123,
        transport: 'tcp',
      }),
      'customer-public',
    ],
  ];
  for (const [title, b, kind] of cases) {
    it(`${title} → ${kind}`, () => {
      const p = deviceProfile({ nat: { ice: 'remove', detector } }, b);
      assert.equal(p.kind, kind);
      assert.equal(p.sipSource, b.flow.sourceAddress);
    });
  }

  it('operator internal networks count (nat.internalNetworks)', () => {
    const b = binding('sip:alice@198.51.100.7:5060', { address: '203.0.113.5', port: 5060 });
    // a differing public host is a NAT signal by itself; the same host configured internal stays so
    const same = binding('sip:alice@198.51.100.7:5060', { address: '198.51.100.7', port: 5060 });
    assert.equal(deviceProfile({ nat: { ice: 'remove', detector } }, b).kind, 'customer-nat');
    assert.equal(deviceProfile({ nat: { ice: 'remove', detector } }, same).kind, 'customer-public');
  });

  it('without NAT detection every device is taken for NATed', () => {
    const b = binding('sip:alice@203.0.113.5:5060', { address: '203.0.113.5', port: 5060 });
    assert.equal(deviceProfile({}, b).kind, 'customer-nat');
    assert.equal(newCallContext(inviteRequest()).device, undefined);
  });
});
