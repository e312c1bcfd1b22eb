import { strict as assert } from 'node:assert';
import type { RequestHeaders } from '../../../../lib/sbc/pipeline/context';
import { clientVia, requestFacts } from '../../../../lib/sbc/nat/request-facts';
import { NatInspector } from '../../../../lib/sbc/nat/nat-inspector';
import { nullNatObserver } from '../../../../lib/sbc/nat/nat-observer';

const SRC = { address: '203.0.113.7', port: 40001, transport: 'udp' as const };

function headers(h: Record<string, string[]>): RequestHeaders {
  return {
    get: (n) => h[n.toLowerCase()]?.[0],
    getAll: (n) => h[n.toLowerCase()] ?? [],
    names: () => Object.keys(h),
  };
}

const SDP = (addr: string) =>
  `v=0\r\no=- 1 1 IN IP4 ${addr}\r\ns=-\r\nc=IN IP4 ${addr}\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0\r\n`;

describe('sbc/nat/request-facts', () => {
  it('takes the receiver’s own received/rport stamp off the top Via, keeps anything else', () => {
    const stamped = 'SIP/2.0/UDP 192.168.1.20:5060;branch=z9hG4bK1;rport=40001;received=203.0.113.7';
    assert.deepEqual(clientVia(stamped, SRC), {
      transport: 'UDP',
      host: '192.168.1.20',
      port: 5060,
      received: undefined,
      rport: null,
    });
    const tampered = 'SIP/2.0/UDP 192.168.1.20:5060;branch=z9hG4bK1;rport=5060;received=10.0.0.1';
    const v = clientVia(tampered, SRC);
    assert.ok(v);
    assert.equal(v.received, '10.0.0.1');
    assert.equal(v.rport, 5060);
    assert.equal(clientVia('garbage', SRC), undefined);
  });

  it('reads SDP only when the body is SDP', () => {
    const f = requestFacts({
      headers: headers({
        via: ['SIP/2.0/UDP 192.168.1.20:5060;branch=z9hG4bK1'],
        'content-type': ['text/plain'],
      }),
      source: SRC,
      body: SDP('192.168.1.20'),
    });
    assert.equal(f?.sdp, undefined);
  });

  it('NatInspector: private Via/Contact/SDP from a public source is NATed; the same client written right is not', () => {
    const inspector = new NatInspector({
      internalNetworks: [],
      publicNetworks: [],
      alg: undefined,
      observer: nullNatObserver,
    });
    const natted = inspector.inspect({
      headers: headers({
        via: ['SIP/2.0/UDP 192.168.1.20:5060;branch=z9hG4bK1;rport=40001;received=203.0.113.7'],
        contact: ['<sip:alice@192.168.1.20:5060>'],
        'content-type': ['application/sdp'],
      }),
      source: SRC,
      body: SDP('192.168.1.20'),
    });
    assert.equal(natted.natted, true);
    assert.equal(natted.type, 'nat');
    assert.deepEqual(natted.signals, [
      'via-host-differs',
      'via-port-differs',
      'via-internal',
      'contact-internal',
      'contact-host-differs',
      'sdp-connection-internal',
      'sdp-origin-internal',
    ]);
    const clean = inspector.inspect({
      headers: headers({
        via: ['SIP/2.0/UDP 203.0.113.7:40001;branch=z9hG4bK1;rport=40001'],
        contact: ['<sip:alice@203.0.113.7:40001>'],
      }),
      source: SRC,
      body: SDP('203.0.113.7'),
    });
    assert.deepEqual([clean.natted, clean.type, clean.signals], [false, 'public', []]);
  });

  it('publicNetworks make loopback count as the public side (single-host tests)', () => {
    const inspector = new NatInspector({
      internalNetworks: [],
      publicNetworks: ['127.0.0.0/8'],
      alg: undefined,
      observer: nullNatObserver,
    });
    const src = { address: '127.0.0.1', port: 5070, transport: 'udp' as const };
    const v = inspector.inspect({
      headers: headers({
        via: ['SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bK1'],
        contact: ['<sip:a@127.0.0.1:5070>'],
      }),
      source: src,
    });
    assert.equal(v.natted, false);
    assert.equal(inspector.detector.isInternalHost('127.0.0.1'), false);
    assert.equal(inspector.detector.isInternalHost('192.168.1.20'), true);
  });
});
