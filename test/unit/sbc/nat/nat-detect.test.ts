import { strict as assert } from 'node:assert';
import { readVia } from '../../../../lib/sip/via';
import type { SipTransport } from '../../../../lib/sbc/routing/trunk-matcher';
import {
  NAT_SIGNALS,
  type NatRequestFacts,
  type NatSignal,
  NatDetector,
  contactHosts,
  defaultSipPort,
} from '../../../../lib/sbc/nat/nat-detect';

const sdp = (origin: string, connection: string): string =>
  `v=0\r\no=- 1 1 IN IP${origin.includes(':') ? 6 : 4} ${origin}\r\ns=-\r\n` +
  `c=IN IP${connection.includes(':') ? 6 : 4} ${connection}\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0\r\n`;

/** source "addr:port/transport", Via "TRANSPORT host[:port]" as written on the wire. */
function facts(source: string, via: string, contacts: string[], body?: string): NatRequestFacts {
  const [, address = '', port = '', transport = ''] = /^\[?(.+?)\]?:(\d+)\/(\w+)$/.exec(source) ?? [];
  return {
    source: { address, port: Number(port), transport: transport as SipTransport },
    via: readVia(`SIP/2.0/${via};branch=z9hG4bK1;rport`),
    contacts,
    sdp: body,
  };
}

const PUB = '203.0.113.7';
const WAN = '203.0.113.101';
const LAN = '192.168.1.20';

describe('sbc/nat/nat-detect', () => {
  const detector = new NatDetector();
  const cases: [string, NatRequestFacts, NatSignal[], boolean][] = [
    [
      'public UDP client',
      facts(`${PUB}:5060/udp`, `UDP ${PUB}:5060`, [`sip:a@${PUB}:5060`], sdp(PUB, PUB)),
      [],
      false,
    ],
    [
      'public client, Via port omitted = 5060',
      facts(`${PUB}:5060/udp`, `UDP ${PUB}`, [`<sip:a@${PUB}>`]),
      [],
      false,
    ],
    [
      'Via port omitted but source port 5062',
      facts(`${PUB}:5062/udp`, `UDP ${PUB}`, []),
      ['via-port-differs'],
      true,
    ],
    [
      'NATed client with private Via, Contact and SDP',
      facts(`${WAN}:40312/udp`, `UDP ${LAN}:5060`, [`sip:a@${LAN}:5060;ob`], sdp(LAN, LAN)),
      [
        'via-host-differs',
        'via-port-differs',
        'via-internal',
        'contact-internal',
        'contact-host-differs',
        'sdp-connection-internal',
        'sdp-origin-internal',
      ],
      true,
    ],
    [
      'behind an ALG that rewrote Via, Contact and c= but not o=',
      facts(`${WAN}:5060/udp`, `UDP ${WAN}:5060`, [`sip:a@${WAN}:5060`], sdp(LAN, WAN)),
      ['sdp-origin-internal'],
      true,
    ],
    [
      'port-only NAT',
      facts(`${PUB}:61000/udp`, `UDP ${PUB}:5060`, [`sip:a@${PUB}:5060`]),
      ['via-port-differs'],
      true,
    ],
    [
      'public TCP client from an ephemeral port',
      facts(`${PUB}:52311/tcp`, `TCP ${PUB}:5060`, [`sip:a@${PUB};transport=tcp`]),
      [],
      false,
    ],
    [
      'NATed TCP client',
      facts(`${WAN}:52311/tcp`, `TCP 10.0.0.5:5060`, ['sip:a@10.0.0.5;transport=tcp']),
      ['via-host-differs', 'via-internal', 'contact-internal', 'contact-host-differs'],
      true,
    ],
    ['public TLS client, Via port omitted', facts(`${PUB}:40001/tls`, `TLS ${PUB}`, []), [], false],
    [
      'WebSocket client with .invalid hosts (RFC 7118)',
      facts(`${PUB}:50123/wss`, 'WSS df7jal23ls0d.invalid', ['sip:x@df7jal23ls0d.invalid;transport=ws']),
      ['via-internal', 'contact-internal'],
      true,
    ],
    [
      'client on our own LAN (private but reachable as is)',
      facts(`10.0.0.5:5060/udp`, 'UDP 10.0.0.5:5060', ['sip:a@10.0.0.5'], sdp('10.0.0.5', '10.0.0.5')),
      [],
      false,
    ],
    [
      'carrier-grade NAT (RFC 6598)',
      facts(`${WAN}:5060/udp`, 'UDP 100.64.3.4:5060', []),
      ['via-host-differs', 'via-internal'],
      true,
    ],
    [
      'PBX with a separate public media host (advisory only)',
      facts(`${PUB}:5060/udp`, `UDP ${PUB}:5060`, [], sdp(PUB, '198.51.100.50')),
      ['sdp-connection-differs'],
      false,
    ],
    [
      'hold (c=0.0.0.0) says nothing',
      facts(`${PUB}:5060/udp`, `UDP ${PUB}:5060`, [], sdp(PUB, '0.0.0.0')),
      [],
      false,
    ],
    [
      'host name Contact and Via are not compared',
      facts(`${PUB}:5060/udp`, 'UDP pbx.example.com:5060', ['sip:pbx.example.com']),
      [],
      false,
    ],
    [
      'loopback o= is ignored (some servers always write it)',
      facts(`${PUB}:5060/udp`, `UDP ${PUB}:5060`, [], sdp('127.0.0.1', PUB)),
      [],
      false,
    ],
    [
      'IPv4-mapped source equals the Via',
      facts(`[::ffff:${PUB}]:5060/udp`, `UDP ${PUB}:5060`, [`sip:a@${PUB}`]),
      [],
      false,
    ],
    [
      'public IPv6 client',
      facts(
        '[2001:db8::5]:5060/udp',
        'UDP [2001:DB8::5]:5060',
        ['sip:a@[2001:db8:0::5]'],
        sdp('2001:db8::5', '2001:db8::5'),
      ),
      [],
      false,
    ],
    [
      'IPv6 client with ULA Contact and link-local SDP',
      facts(
        '[2001:db8::5]:5060/udp',
        'UDP [2001:db8::5]:5060',
        ['sip:a@[fd00::5]'],
        sdp('2001:db8::5', 'fe80::5'),
      ),
      ['contact-internal', 'contact-host-differs', 'sdp-connection-internal'],
      true,
    ],
    [
      'star Contact and tel: URIs are ignored',
      facts(`${PUB}:5060/udp`, `UDP ${PUB}:5060`, ['*', 'tel:+12025550123']),
      [],
      false,
    ],
  ];
  for (const [name, input, signals, natted] of cases) {
    it(name, () => {
      assert.deepEqual(detector.detect(input), { natted, signals });
    });
  }

  it('documentation-addressed LANs count as internal when configured (NAT lab)', () => {
    const input = facts(
      `${WAN}:5060/udp`,
      `UDP ${WAN}:5060`,
      ['sip:a@198.51.100.2'],
      sdp('198.51.100.2', WAN),
    );
    assert.deepEqual(detector.detect(input).signals, ['contact-host-differs']);
    assert.deepEqual(new NatDetector(['198.51.100.0/25']).detect(input).signals, [
      'contact-internal',
      'contact-host-differs',
      'sdp-origin-internal',
    ]);
  });

  it('signal names are a fixed set of metric-label-safe strings', () => {
    assert.equal(new Set(NAT_SIGNALS).size, NAT_SIGNALS.length);
    for (const s of NAT_SIGNALS) assert.match(s, /^[a-z][a-z-]*$/);
  });

  it('default ports (RFC 3261 §19.1.2)', () => {
    assert.deepEqual(['udp', 'TCP', 'tls', 'ws', 'WSS'].map(defaultSipPort), [5060, 5060, 5061, 5060, 5061]);
  });

  it('contactHosts takes bare and bracketed URIs, drops IPv6 brackets and unparsable values', () => {
    assert.deepEqual(
      contactHosts(['sip:a@[2001:db8::1]:5070', '"A" <sips:b@host.example>;q=0.5', 'not a uri', '*']),
      ['2001:db8::1', 'host.example'],
    );
  });
});
