import { strict as assert } from 'node:assert';
import {
  type AddressClass,
  InternalNetworks,
  classifyAddress,
  isInternalClass,
  sameAddress,
} from '../../../../lib/sbc/nat/address-class';

describe('sbc/nat/address-class', () => {
  const cases: [string, AddressClass | undefined][] = [
    ['10.0.0.1', 'private'],
    ['10.255.255.255', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.254', 'private'],
    ['172.32.0.1', 'public'], // just past 172.16/12
    ['172.15.255.255', 'public'],
    ['192.168.1.20', 'private'],
    ['192.169.0.1', 'public'],
    ['100.64.0.1', 'shared'],
    ['100.127.255.255', 'shared'],
    ['100.128.0.1', 'public'], // just past 100.64/10
    ['100.63.255.255', 'public'],
    ['127.0.0.1', 'loopback'],
    ['127.8.9.10', 'loopback'],
    ['169.254.10.1', 'link-local'],
    ['192.0.2.1', 'documentation'],
    ['198.51.100.7', 'documentation'],
    ['203.0.113.10', 'documentation'],
    ['203.0.114.1', 'public'],
    ['0.0.0.0', 'unspecified'],
    ['0.1.2.3', 'unspecified'], // RFC 1122 "this network"
    ['224.0.0.1', 'multicast'],
    ['8.8.8.8', 'public'],
    ['::ffff:192.168.0.5', 'private'], // IPv4-mapped, as dual-stack sockets report it
    ['::ffff:8.8.4.4', 'public'],
    ['::1', 'loopback'],
    ['[::1]', 'loopback'],
    ['::', 'unspecified'],
    ['fe80::1', 'link-local'],
    ['fe80::1%eth0', 'link-local'],
    ['febf:ffff::1', 'link-local'], // top of fe80::/10
    ['fec0::1', 'public'], // deprecated site-local, outside fe80::/10
    ['fc00::1', 'unique-local'],
    ['fd12:3456:789a::1', 'unique-local'],
    ['fe00::1', 'public'], // just past fc00::/7
    ['2001:db8::1', 'documentation'],
    ['2001:DB8:ffff::1', 'documentation'],
    ['2001:db9::1', 'public'],
    ['3fff:fff::1', 'documentation'], // RFC 9637
    ['ff02::1', 'multicast'],
    ['2a00:1450:4001::1', 'public'],
    ['pbx.example.com', undefined],
    ['', undefined],
    ['192.168.1', undefined],
  ];
  for (const [address, expected] of cases) {
    it(`${address || '(empty)'} → ${expected ?? 'not an IP'}`, () => {
      assert.equal(classifyAddress(address), expected);
    });
  }

  it('internal classes are the non-routable ones; documentation counts as routable (NAT lab)', () => {
    const internal = (['private', 'shared', 'loopback', 'link-local', 'unique-local'] as const).map(
      isInternalClass,
    );
    assert.deepEqual(internal, [true, true, true, true, true]);
    const external = (['documentation', 'unspecified', 'multicast', 'public'] as const).map(isInternalClass);
    assert.deepEqual(external, [false, false, false, false]);
  });

  it('operator-configured blocks extend the internal set', () => {
    const plain = new InternalNetworks();
    const lab = new InternalNetworks(['198.51.100.0/24', '2001:db8:1::/48']);
    assert.equal(plain.isInternal('198.51.100.2'), false);
    assert.equal(lab.isInternal('198.51.100.2'), true);
    assert.equal(lab.isInternal('2001:db8:1::9'), true);
    assert.equal(lab.isInternal('2001:db8:2::9'), false);
    assert.equal(lab.isInternal('203.0.113.101'), false);
    assert.equal(lab.isInternal('10.1.1.1'), true);
    assert.equal(lab.isInternal('phone.invalid'), false); // host names are not IPs
  });

  const same: [string, string, boolean][] = [
    ['192.0.2.1', '192.0.2.1', true],
    ['::ffff:192.0.2.1', '192.0.2.1', true],
    ['2001:DB8::1', '2001:db8:0:0::1', true],
    ['[2001:db8::1]', '2001:db8::1', true],
    ['192.0.2.1', '192.0.2.2', false],
    ['pbx.example.com', 'pbx.example.com', false], // never resolved, never "same"
  ];
  for (const [a, b, expected] of same) {
    it(`sameAddress(${a}, ${b}) = ${expected}`, () => {
      assert.equal(sameAddress(a, b), expected);
    });
  }
});
