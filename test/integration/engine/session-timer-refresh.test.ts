/**
 * The engine's own session refreshes (lib/engine/session-timer) against real sipp UASs, with a
 * drachtio-srf UAC app that asks for `Session-Expires: 90;refresher=uac` (so the engine refreshes):
 *  (a) `refreshMethod: auto` and a UAS whose 2xx allows UPDATE: the refreshes are bodiless
 *      UPDATEs (RFC 4028 §9) and the call outlives one interval;
 *  (b) a UAS that answers every refresh 491: three tries, then the engine lets the session
 *      expire and ends it with BYE (`Session timer expired`, RFC 4028 §10);
 *  (c) an app re-INVITE held unanswered past the refresh time: no second INVITE transaction
 *      meanwhile (RFC 3261 §14.1), and its 2xx counts as the refresh.
 * The sipp scenarios fail on any unexpected request; the sipp message traces are checked too.
 * The engine's "second" is shortened (msPerSecond) so that a 90 s interval fits a test.
 */
import assert from 'node:assert/strict';
import { useTestEngine, UAC_SDP } from './engine-fixture';
import { callWithTimer } from './session-timer-call';
import { distinct, received, traced } from './session-timer-trace';

const SDP = UAC_SDP;

describe('engine session refreshes: UPDATE, 491 cap, waiting for a pending re-INVITE (sipp)', function () {
  this.timeout(60_000);
  const UNIT = 100; // ms per engine "second": refresh after 4.5 s, expiry point at 6 s
  const e = useTestEngine({ msPerSecond: UNIT, leakCheckPassedOnly: true });

  it('(a) refreshes with bodiless UPDATEs when the peer allows UPDATE; the call outlives an interval', async () => {
    e.t.engine.state.sessionTimer.refreshMethod = 'auto';
    const { uas, destroyed } = await callWithTimer(e, 'st-uas-update-refresh.xml');
    const result = await uas.done;
    assert.equal(result.outcome, 'all-succeeded', result.output + result.errors);
    assert.equal(await destroyed, 'normal release', 'the call ended by the callee’s BYE, not by expiry');
    const msgs = traced(result);
    const updates = distinct(received(msgs, 'UPDATE'));
    assert.equal(updates.length, 2, msgs.map((m) => m.startLine).join('\n'));
    for (const u of updates) {
      assert.match(u.text, /^Session-Expires:\s*90;refresher=uac/im);
      assert.match(u.text, /^(Content-Length|l):\s*0\s*$/im, 'an UPDATE refresh carries no SDP');
    }
    assert.equal(distinct(received(msgs, 'INVITE')).length, 1, 'no re-INVITE refresh');
    const answered = msgs.find((m) => m.direction === 'sent' && m.text.includes('-uas-'));
    const last = updates[1];
    assert.ok(answered && last);
    // Timers never fire early: the second refresh comes a whole interval (90 units) after the
    // call was answered, so the session was kept past one interval.
    assert.ok(last.at - answered.at >= 90 * UNIT * 0.95, `${last.at - answered.at} ms`);
  });

  it('(b) stops after three 491s and ends the call with BYE at the expiry point', async () => {
    const { uas, destroyed } = await callWithTimer(e, 'st-uas-refresh-491-loop.xml');
    const result = await uas.done;
    assert.equal(result.outcome, 'all-succeeded', result.output + result.errors);
    assert.equal(await destroyed, 'Session timer expired');
    const msgs = traced(result);
    const invites = distinct(received(msgs, 'INVITE'));
    assert.equal(invites.length, 4, 'the initial INVITE and three refreshes');
    const bye = received(msgs, 'BYE')[0];
    const lastRefresh = invites[3];
    assert.ok(bye && lastRefresh);
    assert.ok(bye.at > lastRefresh.at);
    assert.match(bye.text, /Session timer expired/);
  });

  it('(c) holds its refresh while the app’s re-INVITE is pending; that 2xx counts as the refresh', async () => {
    e.t.engine.state.sessionTimer.msPerSecond = 200; // refresh due at 9 s, expiry point at 12 s
    // The callee answers the app's re-INVITE after 10 s: after the refresh was due, before expiry.
    const { uas, dialog } = await callWithTimer(e, 'st-uas-app-reinvite-held.xml', 10_000);
    const opts = { noAck: false, headers: { 'X-App': 'reinvite' } }; // srf's types omit headers
    // Not awaited first: when the callee aborts on an early refresh, this never completes.
    const modified = dialog.modify(SDP, opts).then(
      () => 'answered',
      (err: unknown) => String(err),
    );
    const result = await uas.done;
    assert.equal(result.outcome, 'all-succeeded', result.output + result.errors);
    assert.equal(await modified, 'answered');
    const msgs = traced(result);
    const invites = distinct(received(msgs, 'INVITE'));
    assert.equal(invites.length, 3, msgs.map((m) => m.startLine).join('\n'));
    const [, appReinvite, refresh] = invites;
    assert.ok(appReinvite && refresh);
    assert.match(appReinvite.text, /^X-App:\s*reinvite/im);
    assert.match(refresh.text, /^Session-Expires:\s*90;refresher=uac/im);
    const answer = msgs.find(
      (m) => m.direction === 'sent' && m.startLine.startsWith('SIP/2.0 200') && m.at >= appReinvite.at,
    );
    assert.ok(answer);
    const during = msgs.filter(
      (m) => m.direction === 'received' && m.at > appReinvite.at && m.at < answer.at,
    );
    assert.ok(
      during.every((m) => m.startLine === appReinvite.startLine),
      `only retransmissions of the app re-INVITE while it was pending: ${during.map((m) => m.startLine).join()}`,
    );
    // The 2xx restarted the timer: the refresh comes half an interval (45 units) after it.
    assert.ok(refresh.at - answer.at >= 45 * 200 * 0.95, `${refresh.at - answer.at} ms`);
  });
});
