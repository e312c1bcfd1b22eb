/** Callee-side ALG evidence (response-alg.ts): a registered device's 2xx against its flow's source. */
import { strict as assert } from 'node:assert';
import { NatDetector } from '../../../../lib/sbc/nat/nat-detect';
import { responseAlgFindings } from '../../../../lib/sbc/nat/response-alg';

const detector = new NatDetector();
const sdp = (c: string, o = c): string =>
  ['v=0', `o=- 1 1 IN IP4 ${o}`, 's=-', `c=IN IP4 ${c}`, 't=0 0', 'm=audio 4000 RTP/AVP 0', ''].join('\r\n');

describe('sbc/nat: ALG evidence from a registered device’s response', () => {
  it('Contact rewritten to the public source while the SDP stays private: partial-rewrite', () => {
    const f = responseAlgFindings(
      {
        source: '203.0.113.7',
        contacts: ['<sip:alice@203.0.113.7:5060>'],
        sdp: sdp('192.168.1.20'),
        userAgent: 'Yealink SIP-T46S',
      },
      detector,
    );
    assert.deepEqual(
      f.map((x) => x.signal),
      ['partial-rewrite', 'contact-sdp-mismatch'],
    );
    assert.match(f[0]?.detail ?? '', /response Contact 203\.0\.113\.7 = source, c= 192\.168\.1\.20/);
  });

  it('SDP rewritten, o= left private, from an unknown agent: partial-rewrite only', () => {
    const f = responseAlgFindings(
      { source: '203.0.113.7', contacts: ['<sip:alice@203.0.113.7>'], sdp: sdp('203.0.113.7', '10.0.0.5') },
      detector,
    );
    assert.deepEqual(
      f.map((x) => x.signal),
      ['partial-rewrite'],
    );
  });

  it('no evidence: all private (plain NAT, no ALG), all public (STUN), self-rewriting agents, no NAT', () => {
    const none = (facts: Parameters<typeof responseAlgFindings>[0]): void => {
      assert.deepEqual(responseAlgFindings(facts, detector), []);
    };
    none({ source: '203.0.113.7', contacts: ['<sip:a@192.168.1.20:5060>'], sdp: sdp('192.168.1.20') });
    none({ source: '203.0.113.7', contacts: ['<sip:a@203.0.113.7:5060>'], sdp: sdp('203.0.113.7') });
    none({
      source: '203.0.113.7',
      contacts: ['<sip:a@203.0.113.7:5060>'],
      sdp: sdp('192.168.1.20'),
      userAgent: 'PJSIP 2.14',
    });
    none({ source: '192.168.1.20', contacts: ['<sip:a@192.168.1.20>'], sdp: sdp('192.168.1.20') });
  });
});
