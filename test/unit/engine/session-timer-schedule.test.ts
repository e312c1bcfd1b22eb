/**
 * The running session timer (session-timer/session-timer.ts) on a fake clock and a fake SIP stack
 * that records what the engine sends: our refresh waits for a pending INVITE/UPDATE of the dialog
 * (RFC 3261 §14.1), the 491 cap lets the session expire (RFC 4028 §10), UPDATE refreshes when the
 * peer allows it (§9) with a re-INVITE fallback on 405, and a peer INVITE meets 491 while our
 * re-INVITE refresh is out (RFC 3261 §14.2).
 */
import assert from 'node:assert/strict';
import type { SipRequest } from '../../../lib/sip';
import type { ServerTransaction } from '../../../lib/sip/stack';
import {
  appOfferSent,
  collidesWithRefresh,
  peerOfferReceived,
} from '../../../lib/engine/session-timer/pending-offers';
import { armSessionTimer } from '../../../lib/engine/session-timer/session-timer';
import { FLOW, reply, setup } from './session-timer-fixture';

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
