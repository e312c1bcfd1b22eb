import assert from 'node:assert/strict';
import type { LegMediaProfile } from '../../../lib/media/leg-profile';
import { answerFlags, offerFlags } from '../../../lib/media/ng-flags';

const x = { callId: 'call-1', sdp: 'v=0\r\n' };
const carrier: LegMediaProfile = { kind: 'carrier', tag: 'B' };
const nat: LegMediaProfile = { kind: 'customer-nat', tag: 'A', sipSource: '198.51.100.7' };
const pub: LegMediaProfile = { kind: 'customer-public', tag: 'A' };
const web: LegMediaProfile = { kind: 'webrtc', tag: 'W' };

describe('ng offer/answer flag building', () => {
  it('offer from a NAT customer to a carrier: ignore the SDP address, latch, strict source', () => {
    assert.deepEqual(offerFlags(nat, carrier, x), {
      'call-id': 'call-1',
      'from-tag': 'A',
      'to-tag': 'B',
      sdp: 'v=0\r\n',
      flags: ['SIP-source-address', 'endpoint-learning-immediate', 'strict-source', 'port-latching'],
      replace: ['origin', 'session-connection'],
      'received-from': ['IP4', '198.51.100.7'],
      ICE: 'remove',
      'transport-protocol': 'RTP/AVP',
    });
  });

  it('initial offer towards a callee without a tag yet: no to-tag key at all (not "")', () => {
    // rtpengine 10.5 takes "to-tag": "" for a tag and leaves an orphan untagged monologue.
    const req = offerFlags(nat, { ...carrier, tag: '' }, x);
    assert.equal('to-tag' in req, false, JSON.stringify(req));
    assert.equal(req['from-tag'], 'A');
    const fromCallee = offerFlags({ ...carrier, tag: 'B' }, { ...nat, tag: '' }, x);
    assert.equal('to-tag' in fromCallee, false, 'late offer from the callee');
    assert.equal(answerFlags({ ...carrier, tag: 'B' }, { ...nat, tag: 'A' }, x)['to-tag'], 'B');
  });

  it('latching off (nat.media.latching: false): a NATed leg is trusted and never learnt', () => {
    const req = offerFlags({ ...nat, latching: false }, carrier, x);
    assert.deepEqual(req.flags, ['trust-address', 'asymmetric', 'port-latching']);
    assert.equal(req['received-from'], undefined, 'no SIP source address');
    const back = answerFlags({ ...nat, latching: false }, carrier, x);
    assert.deepEqual(back.flags, ['trust-address', 'asymmetric', 'port-latching']);
    assert.deepEqual(
      offerFlags({ ...nat, latching: true }, carrier, x).flags,
      offerFlags(nat, carrier, x).flags,
    );
  });

  it('offer from a carrier to a public customer: trust the SDP, pass the protocol through', () => {
    const req = offerFlags(carrier, pub, x);
    assert.deepEqual(req.flags, ['trust-address']);
    assert.equal(req['transport-protocol'], undefined);
    assert.equal(req['received-from'], undefined);
    assert.equal(req.ICE, 'remove');
  });

  it('answer swaps the tags: from-tag is the offerer, to-tag the answerer', () => {
    const req = answerFlags(carrier, nat, x);
    assert.equal(req['from-tag'], 'A');
    assert.equal(req['to-tag'], 'B');
    assert.deepEqual(req.flags, ['trust-address']);
    assert.equal(answerFlags(nat, carrier, x)['received-from']?.[1], '198.51.100.7');
  });

  it('towards WebRTC: ICE force, RTP/SAVPF with DTLS only, rtcp-mux required', () => {
    const req = offerFlags(carrier, web, x);
    assert.equal(req.ICE, 'force');
    assert.equal(req['transport-protocol'], 'RTP/SAVPF');
    assert.deepEqual(req.SDES, ['off']);
    assert.equal(req.DTLS, undefined);
    assert.deepEqual(req['rtcp-mux'], ['require']);
    assert.equal(answerFlags(carrier, web, x).ICE, 'force', 'answer to a WebRTC offerer carries ICE');
  });

  it('from WebRTC to a SIP phone: plain RTP/AVP, ICE removed, rtcp-mux demuxed', () => {
    const req = offerFlags(web, pub, x);
    assert.equal(req['transport-protocol'], 'RTP/AVP');
    assert.equal(req.ICE, 'remove');
    assert.deepEqual(req['rtcp-mux'], ['demux']);
    assert.ok(req.flags.includes('port-latching'));
  });

  it('towards an SDES SRTP leg: RTP/SAVP with DTLS off', () => {
    const req = offerFlags(carrier, { ...pub, transport: 'RTP/SAVP' }, x);
    assert.equal(req['transport-protocol'], 'RTP/SAVP');
    assert.equal(req.DTLS, 'off');
    assert.equal(req.SDES, undefined);
  });

  it('interfaces, codecs, recording, media address, asymmetric and IPv6 sources', () => {
    const a: LegMediaProfile = { ...nat, interface: 'priv', sipSource: '2001:db8::7', record: true };
    const b: LegMediaProfile = { ...carrier, interface: 'pub', codecs: { strip: ['G729'], transcode: [] } };
    const req = offerFlags(a, b, x);
    assert.deepEqual(req.direction, ['priv', 'pub']);
    assert.deepEqual(req.codec, { strip: ['G729'], transcode: [] });
    assert.equal(req['record-call'], 'yes');
    assert.deepEqual(req['received-from'], ['IP6', '2001:db8::7']);
    assert.equal(offerFlags(carrier, { ...pub, codecs: {} }, x).codec, undefined, 'pass-through by default');
    assert.equal(offerFlags(pub, carrier, x).direction, undefined);
    const odd = offerFlags({ ...carrier, asymmetric: true, mediaAddress: '203.0.113.9' }, pub, x);
    assert.deepEqual(odd.flags, ['trust-address', 'asymmetric']);
    assert.equal(odd['media-address'], '203.0.113.9');
  });
});
