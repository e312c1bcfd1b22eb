/**
 * The running session timer (session-timer/session-timer.ts) on a fake clock and a fake SIP stack
 * that records what the engine sends: our refresh waits for a pending INVITE/UPDATE of the dialog
 * (RFC 3261 §14.1), the 491 cap lets the session expire (RFC 4028 §10), UPDATE refreshes when the
 * peer allows it (§9) with a re-INVITE fallback on 405, and a peer INVITE meets 491 while our
 * re-INVITE refresh is out (RFC 3261 §14.2).
 */
import assert from 'node:assert/strict';
import { parseOwn, type SipRequest, type SipResponse } from '../../../lib/sip';
import type { Dialog } from '../../../lib/sip/dialog';
import type { ClientHandlers, ServerTransaction } from '../../../lib/sip/stack';
import type { EngineDeps } from '../../../lib/engine/core/engine-deps';
import type { EngineDialog } from '../../../lib/engine/core/engine-dialog';
import { EngineState } from '../../../lib/engine/core/engine-state';
import {
  appOfferSent,
  collidesWithRefresh,
  peerOfferReceived,
} from '../../../lib/engine/session-timer/pending-offers';
import { armSessionTimer } from '../../../lib/engine/session-timer/session-timer';
import { FakeClock } from '../../../lib/util/clock';
import { silentLog } from '../../../lib/util/logger';

interface Sent {
  request: SipRequest;
  handlers: ClientHandlers;
}

const flush = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

function confirmed(): Dialog {
  return {
    id: { callId: 'st-1', localTag: 'ours', remoteTag: 'theirs' },
    role: 'uac',
    state: 'confirmed',
    localSeq: 1,
    remoteSeq: undefined,
    inviteSeq: 1,
    localUri: '<sip:palisade@192.0.2.10>',
    remoteUri: '<sip:peer@198.51.100.7>',
    remoteTarget: 'sip:peer@198.51.100.7:5060',
    routeSet: [],
    localContact: 'sip:192.0.2.10:5060',
    secure: false,
  };
}

function setup(refreshMethod: 'invite' | 'update' | 'auto' = 'invite') {
  const clock = new FakeClock();
  const state = new EngineState();
  state.sessionTimer.refreshMethod = refreshMethod;
  const sent: Sent[] = [];
  const stack = {
    request: (request: SipRequest, _target: unknown, handlers: ClientHandlers) => {
      sent.push({ request, handlers });
      return { request };
    },
    sendAck: () => Promise.resolve(),
  };
  const deps = { state, clock, log: silentLog, stack } as unknown as EngineDeps;
  const d: EngineDialog = {
    appDialogId: 'st-1;from-tag=ours',
    owner: { isClosed: false, send: () => undefined } as unknown as EngineDialog['owner'],
    dialog: confirmed(),
    flow: {
      transport: 'udp',
      localAddress: '192.0.2.10',
      localPort: 5060,
      remoteAddress: '198.51.100.7',
      remotePort: 5060,
      connectionId: undefined,
      listenerId: 'udp',
    },
    ackTxnId: undefined,
    pending2xx: undefined,
    lastAck: undefined,
    lastInviteFinal: 200,
    localSdp: Buffer.from('v=0\r\n'),
  };
  state.addDialog(d);
  /** Advance engine time by `s` seconds and let the async sends run. */
  const advance = async (s: number): Promise<void> => {
    clock.advance(s * 1000);
    await flush();
  };
  const methods = (): string[] => sent.map((x) => x.request.method);
  return { clock, state, sent, deps, d, advance, methods };
}

/** A response from the peer to `req`. */
function reply(req: SipRequest, status: number, extra: string[] = []): SipResponse {
  const text = [
    `SIP/2.0 ${status} Whatever`,
    'Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK-st',
    `From: ${req.header('from') ?? ''}`,
    `To: ${req.header('to') ?? ''}`,
    `Call-ID: ${req.callId()}`,
    `CSeq: ${req.cseq().seq} ${req.method}`,
    ...extra,
    'Content-Length: 0',
    '',
    '',
  ].join('\r\n');
  const res = parseOwn(Buffer.from(text));
  assert.ok(res.kind === 'response');
  return res;
}

const FLOW = {} as Parameters<ClientHandlers['onResponse']>[1];

describe('session timer: running it', () => {
  it('refreshes at half the interval with a re-INVITE carrying the last SDP (refreshMethod invite)', async () => {
    const t = setup();
    armSessionTimer(t.deps, t.d, 90, true);
    await t.advance(44);
    assert.deepEqual(t.methods(), []);
    await t.advance(1);
    assert.deepEqual(t.methods(), ['INVITE']);
    const req = t.sent[0]?.request;
    assert.match(req?.header('session-expires') ?? '', /^90;refresher=uac$/);
    assert.equal(req?.body.toString(), 'v=0\r\n');
  });

  it('waits while an app re-INVITE is pending and refreshes once it failed', async () => {
    const t = setup();
    armSessionTimer(t.deps, t.d, 90, true);
    const settled = appOfferSent(t.d, 'INVITE');
    await t.advance(45);
    await t.advance(5);
    assert.deepEqual(t.methods(), [], 'no refresh while the re-INVITE is pending');
    settled(); // e.g. a 488: no refresh happened
    await t.advance(1);
    assert.deepEqual(t.methods(), ['INVITE']);
  });

  it('a 2xx to the pending re-INVITE is the refresh: the next one comes half an interval later', async () => {
    const t = setup();
    armSessionTimer(t.deps, t.d, 90, true);
    const settled = appOfferSent(t.d, 'UPDATE');
    await t.advance(50);
    settled();
    armSessionTimer(t.deps, t.d, 90, true); // what sessionRefreshed does on its 2xx
    await t.advance(44);
    assert.deepEqual(t.methods(), []);
    await t.advance(1);
    assert.deepEqual(t.methods(), ['INVITE']);
  });

  it('waits for a peer INVITE until the app answered it', async () => {
    const t = setup();
    armSessionTimer(t.deps, t.d, 90, true);
    const txn = {
      method: 'INVITE',
      finalResponseStatus: undefined as number | undefined,
      on: () => undefined,
    };
    peerOfferReceived(t.d, txn as unknown as ServerTransaction);
    await t.advance(47);
    assert.deepEqual(t.methods(), []);
    txn.finalResponseStatus = 500;
    await t.advance(1);
    assert.deepEqual(t.methods(), ['INVITE']);
  });

  it('ends the session at the expiry point when the pending transaction never ends', async () => {
    const t = setup();
    armSessionTimer(t.deps, t.d, 90, true);
    appOfferSent(t.d, 'INVITE');
    await t.advance(59); // expiry point: 90 − min(32, 30) = 60
    assert.deepEqual(t.methods(), []);
    await t.advance(1);
    assert.deepEqual(t.methods(), ['BYE']);
    assert.match(t.sent[0]?.request.header('reason') ?? '', /Session timer expired/);
    assert.equal(t.state.dialogCount, 0);
  });

  it('stops after three 491s and sends BYE at the expiry point', async () => {
    const t = setup();
    armSessionTimer(t.deps, t.d, 90, true);
    await t.advance(45);
    for (let i = 0; i < 3; i++) {
      const last = t.sent.at(-1);
      assert.equal(last?.request.method, 'INVITE', `refresh ${i + 1}`);
      last.handlers.onResponse(reply(last.request, 491), FLOW);
      await t.advance(4); // longest §14.1 wait when we own the Call-ID
    }
    assert.deepEqual(t.methods(), ['INVITE', 'INVITE', 'INVITE'], 'no fourth refresh');
    await t.advance(60 - 45 - 12 - 0.5);
    assert.deepEqual(t.methods(), ['INVITE', 'INVITE', 'INVITE']);
    await t.advance(0.5);
    assert.deepEqual(t.methods(), ['INVITE', 'INVITE', 'INVITE', 'BYE']);
  });

  it('a peer refresh after giving up keeps the call', async () => {
    const t = setup();
    armSessionTimer(t.deps, t.d, 90, true);
    await t.advance(45);
    for (let i = 0; i < 3; i++) {
      const last = t.sent.at(-1);
      assert.ok(last);
      last.handlers.onResponse(reply(last.request, 491), FLOW);
      await t.advance(4);
    }
    armSessionTimer(t.deps, t.d, 90, false); // the peer's re-INVITE got our 2xx (refresher=uas)
    await t.advance(30);
    assert.deepEqual(t.methods(), ['INVITE', 'INVITE', 'INVITE']);
    assert.equal(t.state.dialogCount, 1);
  });

  it('auto: refreshes with a bodiless UPDATE when the peer allows it; 405 → re-INVITE at once', async () => {
    const t = setup('auto');
    armSessionTimer(t.deps, t.d, 90, true);
    assert.ok(t.d.sessionTimer);
    t.d.sessionTimer.peerAllowsUpdate = true;
    await t.advance(45);
    assert.deepEqual(t.methods(), ['UPDATE']);
    const update = t.sent[0];
    assert.ok(update);
    assert.equal(update.request.body.length, 0);
    assert.match(update.request.header('session-expires') ?? '', /^90;refresher=uac$/);
    update.handlers.onResponse(reply(update.request, 405), FLOW);
    await t.advance(0);
    assert.deepEqual(t.methods(), ['UPDATE', 'INVITE']);
    const invite = t.sent[1];
    assert.ok(invite);
    invite.handlers.onResponse(reply(invite.request, 200, ['Session-Expires: 90;refresher=uac']), FLOW);
    await t.advance(45);
    assert.deepEqual(t.methods(), ['UPDATE', 'INVITE', 'INVITE'], 'the refused UPDATE is not tried again');
  });

  it('auto without UPDATE in the peer’s Allow refreshes with re-INVITE; a 2xx to UPDATE restarts', async () => {
    const t = setup('auto');
    armSessionTimer(t.deps, t.d, 90, true);
    await t.advance(45);
    assert.deepEqual(t.methods(), ['INVITE']);
    const t2 = setup('update');
    armSessionTimer(t2.deps, t2.d, 90, true);
    await t2.advance(45);
    const update = t2.sent[0];
    assert.equal(update?.request.method, 'UPDATE');
    update.handlers.onResponse(reply(update.request, 200, ['Session-Expires: 120;refresher=uac']), FLOW);
    assert.equal(t2.d.sessionTimer?.interval, 120);
    await t2.advance(59);
    assert.deepEqual(t2.methods(), ['UPDATE']);
    await t2.advance(1);
    assert.deepEqual(t2.methods(), ['UPDATE', 'UPDATE']);
  });

  it('a peer INVITE collides with our re-INVITE refresh in flight, not with an UPDATE one', async () => {
    const t = setup();
    armSessionTimer(t.deps, t.d, 90, true);
    const peerInvite = { method: 'INVITE', body: Buffer.alloc(0) } as unknown as SipRequest;
    const peerUpdateNoSdp = { method: 'UPDATE', body: Buffer.alloc(0) } as unknown as SipRequest;
    const peerUpdateSdp = { method: 'UPDATE', body: Buffer.from('v=0') } as unknown as SipRequest;
    assert.equal(collidesWithRefresh(t.d, peerInvite), false);
    await t.advance(45);
    assert.equal(collidesWithRefresh(t.d, peerInvite), true);
    assert.equal(collidesWithRefresh(t.d, peerUpdateSdp), true);
    assert.equal(collidesWithRefresh(t.d, peerUpdateNoSdp), false);
    const refresh = t.sent[0];
    assert.ok(refresh);
    refresh.handlers.onResponse(reply(refresh.request, 200), FLOW);
    assert.equal(collidesWithRefresh(t.d, peerInvite), false);

    const u = setup('update');
    armSessionTimer(u.deps, u.d, 90, true);
    await u.advance(45);
    assert.equal(u.methods()[0], 'UPDATE');
    assert.equal(collidesWithRefresh(u.d, peerInvite), false);
  });
});
