import { strict as assert } from 'node:assert';
import { TrunkMatcher, type SipTransport } from '../../../lib/sbc/routing/trunk-matcher';
import { parseCidr, parseIp } from '../../../lib/sbc/routing/ip-address';
import { trunksOf } from './helpers';

const OUT = 'outbound: { gateways: [ { uri: "sip:192.0.2.1" } ] }';

const trunks = trunksOf(`
trunks:
  - { name: carrier-a, inbound: { sources: [ 198.51.100.0/24 ] } }
  - { name: carrier-a-sbc, inbound: { sources: [ 198.51.100.16/28 ] } }
  - { name: pbx-host, inbound: { sources: [ 198.51.100.20 ] } }
  - { name: v6-wide, inbound: { sources: [ "2001:db8::/32" ] } }
  - { name: v6-narrow, inbound: { sources: [ "2001:db8:aa::/48", "2001:db8:aa:1::5" ] } }
  - { name: tls-only, inbound: { sources: [ 203.0.113.0/24 ], transports: [ tls ] } }
  - { name: udp-fallback, inbound: { sources: [ 203.0.113.0/24 ] } }
  - { name: everyone-v4, inbound: { sources: [ 0.0.0.0/0 ] }, ${OUT} }
  - { name: out-only, ${OUT} }
`).filter((t) => t.name !== 'everyone-v4');

const withDefault = trunksOf(`
trunks:
  - { name: a, inbound: { sources: [ 10.1.0.0/16 ] } }
  - { name: catch-all, inbound: { sources: [ 0.0.0.0/0, "::/0" ] } }
`);

describe('sbc/routing/trunk-matcher', () => {
  const matcher = new TrunkMatcher(trunks);
  const cases: [string, SipTransport, string | undefined][] = [
    ['198.51.100.1', 'udp', 'carrier-a'],
    ['198.51.100.255', 'tcp', 'carrier-a'],
    ['198.51.100.17', 'udp', 'carrier-a-sbc'], // /28 beats /24
    ['198.51.100.20', 'udp', 'pbx-host'], // /32 beats /28 and /24
    ['198.51.100.31', 'udp', 'carrier-a-sbc'],
    ['198.51.100.32', 'udp', 'carrier-a'],
    ['198.51.101.1', 'udp', undefined],
    ['::ffff:198.51.100.20', 'udp', 'pbx-host'], // IPv4-mapped source
    ['2001:db8::1', 'udp', 'v6-wide'],
    ['2001:db8:ffff::1', 'tls', 'v6-wide'],
    ['2001:db8:aa::1', 'udp', 'v6-narrow'], // /48 beats /32
    ['2001:DB8:AA:1::5', 'udp', 'v6-narrow'], // /128 host entry, upper case
    ['[2001:db8:aa:1::5]', 'udp', 'v6-narrow'], // bracketed
    ['fe80::1%eth0', 'udp', undefined],
    ['2001:db9::1', 'udp', undefined],
    ['203.0.113.9', 'tls', 'tls-only'],
    ['203.0.113.9', 'udp', 'udp-fallback'], // tls-only does not accept udp
    ['not-an-ip', 'udp', undefined],
    ['', 'udp', undefined],
  ];
  for (const [address, transport, expected] of cases) {
    it(`${address} over ${transport} → ${expected ?? 'no trunk'}`, () => {
      assert.equal(matcher.match({ address, transport })?.trunk.name, expected);
    });
  }

  it('reports the CIDR that matched', () => {
    assert.equal(matcher.match({ address: '198.51.100.18', transport: 'udp' })?.cidr, '198.51.100.16/28');
  });

  it('ignores trunks without inbound', () => {
    assert.equal(matcher.match({ address: '192.0.2.1', transport: 'udp' }), undefined);
  });

  it('a /0 catches everything not matched more specifically, per family', () => {
    const m = new TrunkMatcher(withDefault);
    assert.equal(m.match({ address: '10.1.2.3', transport: 'udp' })?.trunk.name, 'a');
    assert.equal(m.match({ address: '8.8.8.8', transport: 'udp' })?.trunk.name, 'catch-all');
    assert.equal(m.match({ address: '2001:db8::1', transport: 'udp' })?.trunk.name, 'catch-all');
  });

  it('equal prefixes: the trunk listed first wins', () => {
    const m = new TrunkMatcher(
      trunksOf(`
trunks:
  - { name: first, inbound: { sources: [ 192.0.2.0/24 ] } }
  - { name: second, inbound: { sources: [ 192.0.2.0/24 ] } }
`),
    );
    assert.equal(m.match({ address: '192.0.2.7', transport: 'udp' })?.trunk.name, 'first');
  });

  it('scales to hundreds of CIDRs with the right answer for each', () => {
    const many = Array.from({ length: 600 }, (_, i) => ({
      name: `t${i}`,
      inbound: { sources: [`10.${i >> 8}.${i & 255}.0/24`], transports: ['udp' as const] },
    }));
    const m = new TrunkMatcher(many);
    for (const i of [0, 1, 255, 256, 599]) {
      assert.equal(m.match({ address: `10.${i >> 8}.${i & 255}.77`, transport: 'udp' })?.trunk.name, `t${i}`);
    }
    assert.equal(m.match({ address: '10.3.0.1', transport: 'udp' }), undefined);
  });
});

describe('sbc/routing/ip-address', () => {
  it('parses IPv4 to a 32-bit number and IPv6 to a bigint', () => {
    assert.deepEqual(parseIp('255.255.255.255'), { family: 4, value: 0xffffffff });
    assert.deepEqual(parseIp('::1'), { family: 6, value: 1n });
    assert.deepEqual(parseIp('::ffff:0:1'), { family: 6, value: 0xffff00000001n });
    assert.deepEqual(parseIp('64:ff9b::192.0.2.1'), { family: 6, value: (0x64ff9bn << 96n) | 0xc0000201n });
  });

  const cidrs: [string, number | bigint, number][] = [
    ['198.51.100.0/28', 0xc6336400, 28],
    ['0.0.0.0/0', 0, 0],
    ['192.0.2.1', 0xc0000201, 32],
    ['2001:db8::/32', 0x20010db8n << 96n, 32],
    ['::ffff:10.0.0.0/104', 0x0a000000, 8],
  ];
  for (const [text, network, prefix] of cidrs) {
    it(`parses ${text}`, () => {
      const block = parseCidr(text);
      assert.equal(block.network, network);
      assert.equal(block.prefix, prefix);
    });
  }

  for (const bad of ['10.0.0.0/33', '2001:db8::/129', 'x/8', '10.0.0.0/8/8', '::ffff:10.0.0.0/64']) {
    it(`rejects ${bad} with SBC_BAD_CIDR`, () => {
      assert.throws(() => parseCidr(bad), { code: 'SBC_BAD_CIDR' });
    });
  }
});
