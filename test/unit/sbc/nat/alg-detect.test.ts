import { strict as assert } from 'node:assert';
import { readVia } from '../../../../lib/sip/via';
import type { SipTransport } from '../../../../lib/sbc/routing/trunk-matcher';
import { NatDetector } from '../../../../lib/sbc/nat/nat-detect';
import {
  ALG_SIGNALS,
  type AlgRequestFacts,
  type AlgSignal,
  mediaLatchFinding,
  requestAlgFindings,
  signedParamFinding,
} from '../../../../lib/sbc/nat/alg-detect';

const WAN = '203.0.113.101';
const LAN = '192.168.1.20';
const YEALINK = 'Yealink SIP-T46S 66.86.0.15';

const sdp = (origin: string, connection: string): string =>
  `v=0\r\no=- 1 1 IN IP4 ${origin}\r\ns=-\r\nc=IN IP4 ${connection}\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0\r\n`;

interface Req {
  source?: string;
  transport?: SipTransport;
  via: string;
  contact?: string;
  body?: string;
  ua?: string;
}

function req(r: Req): AlgRequestFacts {
  return {
    source: { address: r.source ?? WAN, port: 5060, transport: r.transport ?? 'udp' },
    via: readVia(`SIP/2.0/UDP ${r.via};branch=z9hG4bK1`),
    contacts: r.contact === undefined ? [] : [`sip:a@${r.contact}`],
    sdp: r.body,
    userAgent: r.ua,
  };
}

describe('sbc/nat/alg-detect: findings from one request', () => {
  const detector = new NatDetector();
  const cases: [string, Req, [AlgSignal, string][]][] = [
    [
      'NATed phone, no ALG: everything private',
      { via: `${LAN}:5060`, contact: LAN, body: sdp(LAN, LAN), ua: YEALINK },
      [],
    ],
    [
      'public client: everything public',
      { via: `${WAN}:5060;rport`, contact: WAN, body: sdp(WAN, WAN), ua: YEALINK },
      [],
    ],
    [
      'ALG rewrote Via, Contact and c= but not o=',
      { via: `${WAN}:5060`, contact: WAN, body: sdp(LAN, WAN), ua: 'Acme Phone 1.0' },
      [['partial-rewrite', `Via ${WAN} = source, o= ${LAN}`]],
    ],
    [
      'ALG rewrote Via only',
      { via: `${WAN}:5060`, contact: `${LAN}:5060`, body: sdp(LAN, LAN) },
      [['partial-rewrite', `Via ${WAN} = source, Contact ${LAN}`]],
    ],
    [
      'PJSIP rewrites its own Via/Contact from rport: not an ALG',
      { via: `${WAN}:5060`, contact: WAN, body: sdp(LAN, LAN), ua: 'MicroSIP/3.21.3 (pjsip 2.13)' },
      [],
    ],
    [
      'known phone: Contact rewritten public, c= still private',
      { via: `${LAN}:5060`, contact: WAN, body: sdp(LAN, LAN), ua: YEALINK },
      [['contact-sdp-mismatch', `Contact ${WAN} vs c= ${LAN} (${YEALINK})`]],
    ],
    [
      'known phone: c= rewritten public, Contact still private',
      { via: `${LAN}:5060`, contact: LAN, body: sdp(LAN, WAN), ua: 'Grandstream GXP2170 1.0.11.6' },
      [['contact-sdp-mismatch', `Contact ${LAN} vs c= ${WAN} (Grandstream GXP2170 1.0.11.6)`]],
    ],
    [
      'unknown agent with Contact public and c= private: no (b)',
      { via: `${LAN}:5060`, contact: WAN, body: sdp(LAN, LAN), ua: 'Acme' },
      [],
    ],
    [
      'known phone on hold (c=0.0.0.0) is no mismatch',
      { via: `${LAN}:5060`, contact: LAN, body: sdp(LAN, '0.0.0.0'), ua: YEALINK },
      [],
    ],
    [
      'received and rport values in a request Via',
      { via: `${LAN}:5060;received=${WAN};rport=40312`, contact: LAN },
      [['via-params-tampered', `request Via received=${WAN} rport=40312`]],
    ],
    [
      'a filled-in rport alone',
      { via: `${LAN}:5060;rport=40312`, contact: LAN },
      [['via-params-tampered', 'request Via rport=40312']],
    ],
    [
      'rport without a value is the client asking for it (RFC 3581)',
      { via: `${LAN}:5060;rport`, contact: LAN },
      [],
    ],
    [
      'client on our own LAN: Via = source but source is internal',
      { source: '10.0.0.5', via: '10.0.0.5', contact: '10.0.0.5', body: sdp('10.0.0.9', '10.0.0.9') },
      [],
    ],
  ];
  for (const [name, input, expected] of cases) {
    it(name, () => {
      const found = requestAlgFindings(req(input), detector).map((f) => [f.signal, f.detail]);
      assert.deepEqual(found, expected);
    });
  }

  it('configured internal networks apply (NAT lab LAN on documentation space)', () => {
    const input = req({ via: `${WAN}:5060`, contact: WAN, body: sdp('198.51.100.2', WAN) });
    assert.deepEqual(requestAlgFindings(input, detector), []);
    assert.deepEqual(
      requestAlgFindings(input, new NatDetector(['198.51.100.0/25'])).map((f) => f.signal),
      ['partial-rewrite'],
    );
  });

  it('(d) a signed parameter that failed verification', () => {
    assert.equal(signedParamFinding(true, 'Route'), undefined);
    assert.deepEqual(signedParamFinding(false, 'Route'), {
      signal: 'signed-param-altered',
      detail: 'signed parameter altered in Route',
    });
  });

  const latches: [string, Parameters<typeof mediaLatchFinding>[0], boolean][] = [
    [
      'public signalling, RTP from another port',
      { signallingNatted: false, sdpPort: 4000, latchedPort: 61234 },
      true,
    ],
    [
      'public signalling, RTP from the SDP port',
      { signallingNatted: false, sdpPort: 4000, latchedPort: 4000 },
      false,
    ],
    [
      'NATed signalling: a remapped port is expected',
      { signallingNatted: true, sdpPort: 4000, latchedPort: 61234 },
      false,
    ],
    ['rejected stream (port 0)', { signallingNatted: false, sdpPort: 0, latchedPort: 61234 }, false],
  ];
  for (const [name, latch, fires] of latches) {
    it(`(e) ${name}`, () => {
      assert.equal(mediaLatchFinding(latch)?.signal, fires ? 'media-port-mismatch' : undefined);
    });
  }

  it('signal names are a fixed set of metric-label-safe strings', () => {
    assert.equal(new Set(ALG_SIGNALS).size, 7);
    for (const s of ALG_SIGNALS) assert.match(s, /^[a-z][a-z-]*$/);
  });
});
