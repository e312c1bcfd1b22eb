/**
 * settleAnswered: what an answered call keeps of its setup — the inbound request without headers
 * and body, srf's setup messages slimmed to the dialog-defining headers, the setup listeners gone,
 * the legs' SDP and tags as they were. (The real srf objects: test/integration/engine/setup-release.)
 */
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import type Srf from 'drachtio-srf';
import { pairLegs } from '../../../../lib/sbc/call/leg';
import { settleAnswered } from '../../../../lib/sbc/call/settle-answered';
import { newCallContext, type InboundRequest } from '../../../../lib/sbc/pipeline/context';

const SDP =
  'v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\nc=IN IP4 192.0.2.1\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0\r\n';

function fakeRequest(): InboundRequest {
  const headers: Record<string, string> = { Via: 'SIP/2.0/UDP 192.0.2.1;branch=z9hG4bK1', 'X-Secret': 'x' };
  return {
    method: 'INVITE',
    uri: 'sip:+15551234567@192.0.2.9',
    from: '<sip:alice@192.0.2.1>;tag=caller-tag-123456',
    to: '<sip:+15551234567@192.0.2.9>',
    callId: 'a-call-id-of-some-length@192.0.2.1',
    headers: {
      get: (n) => headers[n],
      getAll: (n) => (headers[n] === undefined ? [] : [headers[n]]),
      names: () => Object.keys(headers),
    },
    source: { address: '192.0.2.1', port: 5060, transport: 'udp' },
    body: SDP,
  };
}

/** An srf-like dialog: a setup request with a listener srf would leave, and its messages. */
function fakeDialog(type: 'uas' | 'uac'): Srf.Dialog {
  const req = Object.assign(new EventEmitter(), {
    method: 'INVITE',
    stackTxnId: 'a-transaction-id-0000',
    msg: {
      raw: `INVITE sip:x SIP/2.0\r\n...\r\n\r\n${SDP}`,
      headers: {
        'Call-ID': 'cid@192.0.2.1',
        From: '<sip:a@192.0.2.1>;tag=1',
        Via: 'SIP/2.0/UDP x',
        'X-Foo': 'y',
      },
      body: SDP,
      payload: [{ type: 'application/sdp', content: SDP }],
      uri: 'sip:x@192.0.2.9',
    },
  });
  req.on('cancel', () => undefined);
  const res = Object.assign(new EventEmitter(), {
    stackDialogId: 'cid@192.0.2.1;from-tag=1',
    msg: { headers: {} },
  });
  const dialog = Object.assign(new EventEmitter(), {
    type,
    req,
    res,
    sip: { callId: 'cid@192.0.2.1', localTag: 'l', remoteTag: 'remote-tag-0001' },
    local: { sdp: SDP, uri: 'sip:l@192.0.2.2' },
    remote: { sdp: SDP, uri: 'sip:r@192.0.2.1' },
  });
  dialog.on('destroy', () => undefined);
  return dialog as unknown as Srf.Dialog;
}

describe('settleAnswered', () => {
  it('keeps what an answered call reads and drops the setup’s headers, bodies and listeners', () => {
    const ctx = newCallContext(fakeRequest());
    const caller = fakeDialog('uas');
    const callee = fakeDialog('uac');
    const legs = pairLegs(
      { dialog: caller, media: { kind: 'customer-nat', tag: 'caller-tag-123456' } },
      { dialog: callee, media: { kind: 'carrier', tag: 'remote-tag-0001' } },
    );
    settleAnswered(ctx, legs);

    assert.equal(ctx.request.callId, 'a-call-id-of-some-length@192.0.2.1');
    assert.equal(ctx.request.from, '<sip:alice@192.0.2.1>;tag=caller-tag-123456');
    assert.deepEqual(ctx.request.source, { address: '192.0.2.1', port: 5060, transport: 'udp' });
    assert.equal(ctx.request.body, undefined);
    assert.equal(ctx.request.headers.get('Via'), undefined);
    assert.deepEqual(ctx.request.headers.names(), []);
    assert.equal(legs.caller.sdp, SDP);
    assert.equal(legs.callee.media.tag, 'remote-tag-0001');

    for (const d of [caller, callee]) {
      const v = d as unknown as {
        req: EventEmitter & { msg: Record<string, unknown>; stackTxnId: string };
        remote: { sdp: string };
        listenerCount(e: string): number;
      };
      assert.equal(v.req.msg.raw, undefined);
      assert.deepEqual(v.req.msg.headers, { 'Call-ID': 'cid@192.0.2.1', From: '<sip:a@192.0.2.1>;tag=1' });
      assert.deepEqual(v.req.msg.payload, []);
      assert.equal(v.req.msg.body, SDP);
      assert.equal(v.req.stackTxnId, 'a-transaction-id-0000');
      assert.equal(v.req.listenerCount('cancel'), 0);
      assert.equal(v.listenerCount('destroy'), 1, 'the dialog’s own listeners stay');
      assert.equal(v.remote.sdp, SDP);
    }
  });
});
