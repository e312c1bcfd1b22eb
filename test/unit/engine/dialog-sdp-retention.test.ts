/**
 * Our last SDP stays with an established dialog only while a session timer runs (RFC 4028 §7.4: a
 * refresh re-INVITE re-sends it, refresh-request.ts); without a timer nothing re-sends it, so the
 * engine drops it once the dialog is confirmed (~0.4 KB per call, bench/engine-memory.ts). Early
 * dialogs keep it until their 2xx decides. UAC: onUacInviteResponse; UAS: afterSent.
 */
import assert from 'node:assert/strict';
import { parseOwn, type SipMessageUnion, type SipRequest, type SipResponse } from '../../../lib/sip';
import { dialogFromUasResponse } from '../../../lib/sip/dialog';
import type { SipStack, ServerTransaction } from '../../../lib/sip/stack';
import type { Flow } from '../../../lib/sip/transport';
import { FakeClock } from '../../../lib/util/clock';
import { silentLog } from '../../../lib/util/logger';
import type { ControlConnection } from '../../../lib/engine/control/control-connection';
import type { EngineDeps } from '../../../lib/engine/core/engine-deps';
import { EngineState, type PendingClient, type PendingServer } from '../../../lib/engine/core/engine-state';
import { onUacInviteResponse } from '../../../lib/engine/core/uac-dialogs';
import { afterSent } from '../../../lib/engine/core/uas-dialog-effects';

const flow: Flow = {
  transport: 'udp',
  localAddress: '192.0.2.10',
  localPort: 5060,
  remoteAddress: '198.51.100.7',
  remotePort: 5060,
  connectionId: undefined,
  listenerId: 'udp0',
};
const SDP =
  'v=0\r\no=- 1 1 IN IP4 192.0.2.10\r\ns=-\r\nc=IN IP4 192.0.2.10\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0\r\n';

function parse(lines: string[], body = ''): SipMessageUnion {
  const head = body === '' ? [] : ['Content-Type: application/sdp'];
  return parseOwn(Buffer.from([...lines, ...head, `Content-Length: ${body.length}`, '', body].join('\r\n')));
}

const invite = (): SipRequest =>
  parse(
    [
      'INVITE sip:peer@198.51.100.7 SIP/2.0',
      'Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK-sdp',
      'From: <sip:sbc@192.0.2.10>;tag=ours',
      'To: <sip:peer@198.51.100.7>',
      'Call-ID: sdp-1',
      'CSeq: 1 INVITE',
      'Max-Forwards: 70',
      'Contact: <sip:sbc@192.0.2.10:5060>',
      'Supported: timer',
    ],
    SDP,
  ) as SipRequest;

/** A response to invite(): from the peer (UAC side) or ours (UAS side, tags swapped below). */
function response(status: number, sessionExpires: string | undefined, body = ''): SipResponse {
  return parse(
    [
      `SIP/2.0 ${status} X`,
      'Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK-sdp',
      'From: <sip:sbc@192.0.2.10>;tag=ours',
      'To: <sip:peer@198.51.100.7>;tag=theirs',
      'Call-ID: sdp-1',
      'CSeq: 1 INVITE',
      'Contact: <sip:peer@198.51.100.7:5060>',
      ...(sessionExpires === undefined ? [] : [`Session-Expires: ${sessionExpires}`]),
    ],
    body,
  ) as SipResponse;
}

function deps(): EngineDeps {
  return {
    stack: { listenerFor: () => undefined } as unknown as SipStack,
    apps: undefined as never,
    state: new EngineState(),
    clock: new FakeClock(),
    log: silentLog,
    t1: 500,
    t2: 4000,
  };
}

const owner = { isClosed: false, send: () => undefined } as unknown as ControlConnection;

function uac(): { deps: EngineDeps; pending: PendingClient } {
  const pending: PendingClient = {
    appTxnId: 't1',
    txn: undefined as never,
    owner,
    request: invite(),
    appDialogId: 'sdp-1;from-tag=ours',
    cancelled: false,
  };
  return { deps: deps(), pending };
}

describe('engine: our SDP kept for session refreshes only', () => {
  it('UAC: an early dialog keeps it, a 2xx without Session-Expires drops it', () => {
    const { deps: e, pending } = uac();
    onUacInviteResponse(e, pending, response(183, undefined), flow);
    const d = e.state.dialogByAppId('sdp-1;from-tag=ours');
    assert.equal(d?.localSdp?.toString(), SDP, 'early: the 2xx may still start a timer');
    onUacInviteResponse(e, pending, response(200, undefined, 'v=0\r\n'), flow);
    assert.equal(d.dialog.state, 'confirmed');
    assert.equal(d.sessionTimer, undefined);
    assert.equal(d.localSdp, undefined);
  });

  it('UAC: a 2xx with Session-Expires keeps it for the refresh re-INVITE', () => {
    const { deps: e, pending } = uac();
    onUacInviteResponse(e, pending, response(200, '1800;refresher=uac', 'v=0\r\n'), flow);
    const d = e.state.dialogByAppId('sdp-1;from-tag=ours');
    assert.ok(d?.sessionTimer, 'timer running');
    assert.equal(d.localSdp?.toString(), SDP);
    d.sessionTimer.timer?.cancel();
  });

  it('UAC: a 2xx without Session-Expires that creates the dialog keeps no SDP', () => {
    const { deps: e, pending } = uac();
    onUacInviteResponse(e, pending, response(200, undefined, 'v=0\r\n'), flow);
    assert.equal(e.state.dialogByAppId('sdp-1;from-tag=ours')?.localSdp, undefined);
  });

  for (const se of [undefined, '1800;refresher=uas']) {
    it(`UAS: our 2xx ${se === undefined ? 'without Session-Expires drops' : 'with Session-Expires keeps'} the SDP it carried`, () => {
      const e = deps();
      // the peer's INVITE to us: its From tag is the remote tag, our To tag the local one
      const req = invite();
      const ours = response(200, se, SDP);
      e.state.addDialog({
        appDialogId: 'sdp-1;from-tag=ours',
        owner,
        dialog: dialogFromUasResponse(req, ours, { overTls: false }),
        flow,
        ackTxnId: undefined,
        pending2xx: undefined,
        lastAck: undefined,
        lastInviteFinal: undefined,
      });
      const pending = { txn: { request: req, flow } as unknown as ServerTransaction } as PendingServer;
      afterSent(e, pending, ours, false);
      const d = e.state.dialogByAppId('sdp-1;from-tag=ours');
      assert.equal(d?.localSdp?.toString(), se === undefined ? undefined : SDP);
      assert.equal(d?.sessionTimer === undefined, se === undefined);
      d?.sessionTimer?.timer?.cancel();
    });
  }
});
