import { strict as assert } from 'node:assert';
import { readVia } from '../../../../lib/sip/via';
import type { SipTransport } from '../../../../lib/sbc/routing/trunk-matcher';
import { NatDetector } from '../../../../lib/sbc/nat/nat-detect';
import { type AlgRequestFacts, requestAlgFindings } from '../../../../lib/sbc/nat/alg-detect';
import { callIdHost } from '../../../../lib/sbc/nat/alg-identity';
import { AlgSuspicion, assess } from '../../../../lib/sbc/nat/alg-suspicion';
import { FakeClock } from '../../../../lib/util/clock';

const WAN = '203.0.113.101';
const LAN = '192.168.1.20';

const sdp = (origin: string, connection: string, port = 4000): string =>
  `v=0\r\no=- 1 1 IN IP4 ${origin}\r\ns=-\r\nc=IN IP4 ${connection}\r\nt=0 0\r\nm=audio ${port} RTP/AVP 0\r\n`;

interface Req {
  transport?: SipTransport;
  via?: string;
  contact?: string;
  body?: string;
  ua?: string;
  callId?: string;
  fromHost?: string;
}

/** Defaults: what the kernel ALG (nf_nat_sip) delivers — everything on WAN:5060 but the Call-ID. */
function req(r: Req): AlgRequestFacts {
  return {
    source: { address: WAN, port: 5060, transport: r.transport ?? 'udp' },
    via: readVia(`SIP/2.0/UDP ${r.via ?? `${WAN}:5060;rport`};branch=z9hG4bK1`),
    contacts: [`<sip:a@${r.contact ?? `${WAN}:5060`}>`],
    sdp: 'body' in r ? r.body : sdp(WAN, WAN),
    userAgent: r.ua,
    callId: 'callId' in r ? r.callId : `1-4711@${LAN}`,
    fromHost: r.fromHost ?? WAN,
  };
}

const signals = (r: Req, detector = new NatDetector()): string[] =>
  requestAlgFindings(req(r), detector).map((f) => f.signal);

describe('sbc/nat/alg-identity: an internal address left in an identity field (g)', () => {
  it('the kernel ALG footprint: Via, Contact, From, o=/c= on the source, Call-ID private', () => {
    const [f] = requestAlgFindings(req({}), new NatDetector());
    assert.deepEqual(f, {
      signal: 'identity-private',
      detail: `Call-ID host ${LAN}, Via/Contact/SDP = source ${WAN}`,
    });
  });

  it('the same without SDP (REGISTER) and with Via port defaulted to 5060', () => {
    assert.deepEqual(signals({ body: undefined, via: WAN }), ['identity-private']);
  });

  it('a From host left private counts too; hold (c=0.0.0.0) does not spoil it', () => {
    const r = { callId: 'a84b4c76e66710', fromHost: LAN, body: sdp(WAN, '0.0.0.0') };
    const [f] = requestAlgFindings(req(r), new NatDetector());
    assert.equal(f?.detail, `From host ${LAN}, Via/Contact/SDP = source ${WAN}`);
  });

  it('the lab LAN (documentation space) counts once configured internal', () => {
    const r = { callId: '1-10560@198.51.100.2' };
    assert.deepEqual(signals(r), []);
    assert.deepEqual(signals(r, new NatDetector(['198.51.100.0/25'])), ['identity-private']);
  });

  const quiet: [string, Req][] = [
    ['a NATed client without ALG (Via and Contact private too)', { via: `${LAN}:5060`, contact: LAN }],
    ['a public client with a random Call-ID', { callId: 'a84b4c76e66710@pc33.example.com' }],
    ['a Call-ID without host', { callId: '3848276298220188511' }],
    ['no Call-ID', { callId: undefined }],
    ['a public Call-ID host', { callId: `x@${WAN}` }],
    ['a loopback Call-ID host (stacks that write 127.0.0.1)', { callId: 'x@127.0.0.1' }],
    ['a link-local Call-ID host', { callId: 'x@169.254.3.4' }],
    [
      'rport self-rewriting agent (PJSIP): public Via/Contact, private Call-ID',
      { ua: 'MicroSIP/3.21.3 (pjsip 2.13)', body: sdp(WAN, WAN) },
    ],
    ['Linphone likewise', { ua: 'Linphone Desktop/5.2.0 (belle-sip/5.2.0)' }],
    [
      'STUN client behind a port-dependent NAT: its STUN port is not the SIP source port',
      { via: `${WAN}:31000;rport`, contact: `${WAN}:31000` },
    ],
    ['Contact on another address than the source', { contact: '203.0.113.200:5060' }],
    ['SDP c= on another address than the source (media relay)', { body: sdp(WAN, '203.0.113.200') }],
    ['SDP o= still private: partial-rewrite, not this', { body: sdp(LAN, WAN) }],
    ['over TLS no router can rewrite anything', { transport: 'tls' }],
    ['over WebSocket neither', { transport: 'wss' }],
  ];
  for (const [name, r] of quiet) {
    it(`not: ${name}`, () => {
      assert.ok(!signals(r).includes('identity-private'), JSON.stringify(signals(r)));
    });
  }

  it('one observation is a hint, a repeat (another request) makes a suspect', () => {
    const client = new AlgSuspicion(new FakeClock());
    const [f] = requestAlgFindings(req({}), new NatDetector());
    assert.ok(f);
    client.record(f);
    assert.equal(assess(client.evidence()).suspected, false);
    assert.deepEqual(assess(client.evidence()).signals, ['identity-private']);
    client.record(f);
    assert.equal(assess(client.evidence()).suspected, true);
  });

  it('callIdHost: the part after the last @, without brackets or port', () => {
    assert.equal(callIdHost('1-4711@198.51.100.2'), '198.51.100.2');
    assert.equal(callIdHost('abc@[2001:db8::1]'), '2001:db8::1');
    assert.equal(callIdHost('abc@10.0.0.1:5060'), '10.0.0.1');
    assert.equal(callIdHost('a@b@10.1.1.1'), '10.1.1.1');
    assert.equal(callIdHost('x@2001:db8::1'), '2001:db8::1');
    assert.equal(callIdHost('noat'), undefined);
    assert.equal(callIdHost(undefined), undefined);
  });
});
