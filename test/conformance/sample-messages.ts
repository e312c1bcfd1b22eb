/** Typical, well-formed messages (an INVITE with SDP, its 200 OK, a REGISTER) for fuzz and bench. */
const crlf = (lines: string[]): string => lines.join('\r\n');

const SDP = crlf([
  'v=0',
  'o=alice 2890844526 2890844526 IN IP4 198.51.100.7',
  's=-',
  'c=IN IP4 198.51.100.7',
  't=0 0',
  'm=audio 49170 RTP/AVP 0 8 101',
  'a=rtpmap:0 PCMU/8000',
  'a=rtpmap:8 PCMA/8000',
  'a=rtpmap:101 telephone-event/8000',
  'a=fmtp:101 0-16',
  'a=ptime:20',
  'a=sendrecv',
  '',
]);

export const INVITE = Buffer.from(
  crlf([
    'INVITE sip:+15551234567@sbc.example.net;user=phone SIP/2.0',
    'Via: SIP/2.0/UDP 198.51.100.7:5060;branch=z9hG4bK776asdhds;rport',
    'Via: SIP/2.0/TCP 203.0.113.9:5060;branch=z9hG4bKnashds8;received=192.0.2.4',
    'Max-Forwards: 69',
    'To: <sip:+15551234567@sbc.example.net;user=phone>',
    'From: "Alice" <sip:+15557654321@pbx.example.com;user=phone>;tag=1928301774',
    'Call-ID: a84b4c76e66710@pc33.example.com',
    'CSeq: 314159 INVITE',
    'Contact: <sip:alice@198.51.100.7:5060;transport=udp>',
    'Record-Route: <sip:203.0.113.9;lr>',
    'Allow: INVITE, ACK, CANCEL, BYE, OPTIONS, UPDATE, PRACK, REFER, NOTIFY',
    'Supported: replaces, timer, 100rel',
    'Session-Expires: 1800;refresher=uac',
    'User-Agent: ExamplePBX/4.2',
    'P-Asserted-Identity: <sip:+15557654321@pbx.example.com;user=phone>',
    'Content-Type: application/sdp',
    `Content-Length: ${Buffer.byteLength(SDP)}`,
    '',
    SDP,
  ]),
  'utf8',
);

export const OK_200 = Buffer.from(
  crlf([
    'SIP/2.0 200 OK',
    'Via: SIP/2.0/UDP 198.51.100.7:5060;branch=z9hG4bK776asdhds;rport=5060;received=198.51.100.7',
    'Via: SIP/2.0/TCP 203.0.113.9:5060;branch=z9hG4bKnashds8;received=192.0.2.4',
    'Record-Route: <sip:203.0.113.9;lr>',
    'To: <sip:+15551234567@sbc.example.net;user=phone>;tag=a6c85cf',
    'From: "Alice" <sip:+15557654321@pbx.example.com;user=phone>;tag=1928301774',
    'Call-ID: a84b4c76e66710@pc33.example.com',
    'CSeq: 314159 INVITE',
    'Contact: <sip:bob@192.0.2.4:5060>',
    'Allow: INVITE, ACK, CANCEL, BYE, OPTIONS',
    'Supported: timer',
    'Session-Expires: 1800;refresher=uac',
    'Content-Type: application/sdp',
    `Content-Length: ${Buffer.byteLength(SDP)}`,
    '',
    SDP,
  ]),
  'utf8',
);

export const REGISTER = Buffer.from(
  crlf([
    'REGISTER sip:registrar.example.com SIP/2.0',
    'Via: SIP/2.0/UDP 192.168.1.20:5060;branch=z9hG4bKnashds7;rport',
    'Max-Forwards: 70',
    'To: Bob <sip:bob@example.com>',
    'From: Bob <sip:bob@example.com>;tag=456248',
    'Call-ID: 843817637684230@998sdasdh09',
    'CSeq: 1826 REGISTER',
    'Contact: <sip:bob@192.168.1.20:5060;transport=udp>;expires=3600;+sip.instance="<urn:uuid:00000000-0000-1000-8000-000A95A0E128>"',
    'Expires: 3600',
    'User-Agent: ExamplePhone/1.0',
    'Content-Length: 0',
    '',
    '',
  ]),
  'utf8',
);

export const SAMPLES: readonly { name: string; bytes: Buffer }[] = [
  { name: 'INVITE+SDP', bytes: INVITE },
  { name: '200 OK+SDP', bytes: OK_200 },
  { name: 'REGISTER', bytes: REGISTER },
];
