import assert from 'node:assert/strict';
import { cidrProblem, isSipUri, parseHostPort, statusInRanges } from '../../../lib/config/validators';

describe('config value validators', () => {
  it('SIP URIs (RFC 3261 §19.1.1)', () => {
    for (const uri of [
      'sip:gw.example',
      'sips:pbx.example:5061',
      'sip:+15550100@198.51.100.2:5060;transport=tcp',
      'sip:[2001:db8::1]:5060',
      'SIP:alice@Example.COM?subject=x',
    ]) {
      assert.ok(isSipUri(uri), uri);
    }
    for (const uri of [
      'http://gw',
      'sip:',
      'sip:@',
      'sip:gw.example:99999',
      'sip:[zz::1]',
      'gw.example',
      'sip:a b',
    ]) {
      assert.ok(!isSipUri(uri), uri);
    }
  });

  it('CIDR blocks and bare addresses', () => {
    for (const ok of [
      '198.51.100.0/28',
      '192.0.2.7',
      '0.0.0.0/0',
      '2001:db8::/32',
      '::ffff:192.0.2.0/120',
      '2001:db8::1',
    ]) {
      assert.equal(cidrProblem(ok), undefined, ok);
    }
    assert.match(cidrProblem('2001:db8::1/32') ?? '', /host bits/);
    assert.match(cidrProblem('10.0.0.0/x') ?? '', /prefix length/);
    assert.match(cidrProblem('10.0.0.0/8/8') ?? '', /not an/);
  });

  it('host:port pairs', () => {
    assert.deepEqual(parseHostPort('127.0.0.1:22222'), { host: '127.0.0.1', port: 22222 });
    assert.deepEqual(parseHostPort('[::1]:22222'), { host: '::1', port: 22222 });
    assert.deepEqual(parseHostPort('rtpengine-0.media:22222'), { host: 'rtpengine-0.media', port: 22222 });
    for (const bad of ['127.0.0.1', '::1:22222', 'host:0', 'host:65536', '999.1.1.1:5']) {
      assert.equal(parseHostPort(bad), undefined, bad);
    }
  });

  it('failover status ranges', () => {
    const ranges = [408, '500-599'];
    assert.ok(statusInRanges(ranges, 408));
    assert.ok(statusInRanges(ranges, 503));
    assert.ok(!statusInRanges(ranges, 486));
  });
});
