import { strict as assert } from 'node:assert';
import {
  formatNameAddr,
  formatUri,
  formatVia,
  parseNameAddr,
  parseVia,
  readNameAddr,
  readVia,
} from '../../../lib/sip';

describe('sip/name-addr', () => {
  it('parses quoted display names with escapes, URI and header params', () => {
    const na = readNameAddr('"J Rosenberg \\\\\\"" <sip:jdrosen@example.com;lr>;tag=98asjd8;q=0.3');
    assert.equal(na.displayName, 'J Rosenberg \\"');
    assert.equal(formatUri(na.uri), 'sip:jdrosen@example.com;lr');
    assert.equal(na.tag, '98asjd8');
    assert.equal(na.params.get('q'), '0.3');
    assert.equal(formatNameAddr(na), '"J Rosenberg \\\\\\"" <sip:jdrosen@example.com;lr>;tag=98asjd8;q=0.3');
  });

  it('treats ;params after a bare addr-spec as header params (RFC 3261 §20.10)', () => {
    const na = readNameAddr('sip:+19725552222@gw1.example.net;unknownparam');
    assert.equal(formatUri(na.uri), 'sip:+19725552222@gw1.example.net');
    assert.deepEqual([...na.params], [['unknownparam', null]]);
  });

  it('accepts token display names, also without space before <', () => {
    assert.equal(readNameAddr('caller<sip:caller@example.com>;tag=323').displayName, 'caller');
    assert.equal(readNameAddr('Bob Smith <sip:b@x>').displayName, 'Bob Smith');
  });

  it('rejects broken forms', () => {
    for (const bad of [
      '"Mr. J. User <sip:j.user@example.com>',
      'Bell, Alexander <sip:a@b>',
      '< sip:t.watson@example.org >',
      'sip:user@example.com?Route=%3Csip:x%3E',
      '"Joe" <sip:joe@example.org>;;;;',
    ]) {
      assert.equal(parseNameAddr(bad).ok, false, bad);
    }
  });
});

describe('sip/via', () => {
  it('parses sent-protocol with LWS, sent-by and the RFC 3261/3581 params', () => {
    const v = readVia(
      'SIP  /   2.0 /UDP  192.0.2.2 : 5062 ;branch=z9hG4bK1;rport;received=192.0.2.9;ttl=16;maddr=224.2.0.1',
    );
    assert.equal(v.protocol, 'SIP/2.0');
    assert.equal(v.transport, 'UDP');
    assert.equal(v.host, '192.0.2.2');
    assert.equal(v.port, 5062);
    assert.equal(v.branch, 'z9hG4bK1');
    assert.equal(v.rport, null);
    assert.equal(v.received, '192.0.2.9');
    assert.equal(v.ttl, 16);
    assert.equal(v.maddr, '224.2.0.1');
    v.params.set('rport', '5062');
    assert.equal(
      formatVia(v),
      'SIP/2.0/UDP 192.0.2.2:5062;branch=z9hG4bK1;rport=5062;received=192.0.2.9;ttl=16;maddr=224.2.0.1',
    );
  });

  it('accepts IPv6 sent-by and received with or without brackets (RFC 5118 §4.5)', () => {
    assert.equal(readVia('SIP/2.0/UDP [2001:db8::9:1]:6050;received=[2001:db8::9:255]').port, 6050);
    assert.equal(readVia('SIP/2.0/UDP [2001:db8::9:1];received=2001:db8::9:255').received, '2001:db8::9:255');
  });

  it('rejects empty params, bad ttl and missing sent-by', () => {
    for (const bad of ['SIP/2.0/UDP 192.0.2.15;;', 'SIP/2.0/UDP h;ttl=300', 'SIP/2.0/UDP', 'SIP/2.0 h']) {
      assert.equal(parseVia(bad).ok, false, bad);
    }
  });
});
