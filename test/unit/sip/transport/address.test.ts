import assert from 'node:assert/strict';
import { flowKey, isWildcard, normaliseAddress } from '../../../../lib/sip/transport/address';

describe('address normalisation', () => {
  it('unmaps IPv4-mapped IPv6, strips brackets and lower-cases', () => {
    assert.equal(normaliseAddress('::ffff:10.0.0.1'), '10.0.0.1');
    assert.equal(normaliseAddress('[2001:DB8::1]'), '2001:db8::1');
    assert.equal(normaliseAddress('Host.Example'), 'host.example');
    assert.equal(flowKey('tcp', '::FFFF:10.0.0.1', 5060), flowKey('tcp', '10.0.0.1', 5060));
    assert.ok(isWildcard('::') && isWildcard('0.0.0.0') && !isWildcard('127.0.0.1'));
  });
});
