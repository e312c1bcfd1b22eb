/**
 * Collisions with the engine's own session refresh re-INVITE (RFC 3261 §14.1/§14.2, RFC 4028 §10),
 * with a real drachtio-srf UAC app that makes the engine the refresher and real sipp UASs that
 * hold their answer to the refresh:
 *  (a) the app's re-INVITE while the refresh is out is held by the engine until the refresh has
 *      its 2xx and our ACK went out, then sent (sipp fails on any INVITE during its pause);
 *  (b) the peer's own re-INVITE while the refresh is out gets 491 from the engine (not passed to
 *      the app); the peer answers the refresh 491 too; the engine retries its refresh after the
 *      random wait of the Call-ID owner (2.1–4 "s"), the peer's retried re-INVITE reaches the app
 *      and is answered, and the call stays up until the peer's BYE.
 * The engine's "second" is shortened (msPerSecond) so that a 90 s interval fits a test.
 */
import assert from 'node:assert/strict';
import { eventually } from '../../support/http';
import { useTestEngine, type EngineHarness, UAC_SDP } from './engine-fixture';
import { callWithTimer } from './session-timer-call';
import { distinct, received, sent, traced } from './session-timer-trace';

const SDP = UAC_SDP;

/** The engine's refresh of the only dialog is out (no final response yet). */
function refreshOut(e: EngineHarness): boolean {
  return e.t.engine.state.allDialogs().some((d) => d.sessionTimer?.inFlight?.method === 'INVITE');
}

describe('engine session refresh collisions: app and peer re-INVITEs meanwhile (sipp)', function () {
  this.timeout(60_000);
  const UNIT = 100; // ms per engine "second": refresh after 4.5 s
  const e = useTestEngine({ msPerSecond: UNIT, leakCheckPassedOnly: true });

  it('(a) holds the app’s re-INVITE until the refresh got its 2xx and our ACK, then sends it', async () => {
    // The callee answers the refresh 3 s after its 100 Trying: the app's re-INVITE comes meanwhile.
    const { uas, dialog, destroyed } = await callWithTimer(e, 'st-uas-refresh-held-app.xml', 3000);
    await eventually(
      () => {
        assert.ok(refreshOut(e), 'the engine’s refresh is out');
      },
      15_000,
      20,
    );
    const opts = { noAck: false, headers: { 'X-App': 'reinvite' } }; // srf's types omit headers
    const modified = dialog.modify(SDP, opts).then(
      () => 'answered',
      (err: unknown) => String(err),
    );
    const result = await uas.done;
    assert.equal(result.outcome, 'all-succeeded', result.output + result.errors);
    assert.equal(await modified, 'answered');
    assert.equal(await destroyed, 'normal release');
    const msgs = traced(result);
    const invites = distinct(received(msgs, 'INVITE'));
    assert.equal(invites.length, 3, msgs.map((m) => m.startLine).join('\n'));
    const [, refresh, app] = invites;
    assert.ok(refresh && app);
    assert.match(refresh.text, /^Session-Expires:\s*90;refresher=uac/im);
    assert.match(app.text, /^X-App:\s*reinvite/im);
    const cseq = (m: { text: string }): number => Number(/^CSeq:\s*(\d+)/im.exec(m.text)?.[1]);
    assert.ok(cseq(app) > cseq(refresh), 'the app re-INVITE took the next CSeq');
    const answered = sent(msgs, '200').find((m) => m.at >= refresh.at && cseq(m) === cseq(refresh));
    assert.ok(answered, 'the refresh was answered');
    const ack = received(msgs, 'ACK').find((m) => m.at >= answered.at);
    assert.ok(ack && cseq(ack) === cseq(refresh), 'the refresh’s ACK came');
    assert.ok(app.at >= ack.at, 'the app re-INVITE came after that ACK');
  });

  it('(b) answers a peer re-INVITE 491 while its refresh is out, retries, and keeps the call', async () => {
    const { uas, dialog, destroyed } = await callWithTimer(e, 'st-uas-refresh-glare.xml');
    let modifies = 0;
    dialog.on('modify', (_req: unknown, res: { send(status: number, o: object): void }) => {
      modifies++;
      res.send(200, { body: SDP, headers: { 'Content-Type': 'application/sdp' } });
    });
    const result = await uas.done;
    assert.equal(result.outcome, 'all-succeeded', result.output + result.errors);
    assert.equal(await destroyed, 'normal release', 'the call ended by the callee’s BYE, not by expiry');
    assert.equal(modifies, 1, 'only the retried peer re-INVITE reached the app');
    const msgs = traced(result);
    const got491 = msgs.find((m) => m.direction === 'received' && m.startLine.startsWith('SIP/2.0 491'));
    const sent491 = sent(msgs, '491')[0];
    assert.ok(got491 && sent491, msgs.map((m) => `${m.direction} ${m.startLine}`).join('\n'));
    const refreshes = distinct(received(msgs, 'INVITE')).slice(1);
    assert.equal(refreshes.length, 2, 'the refresh and its retry');
    const retry = refreshes[1];
    assert.ok(retry);
    // §14.1: the Call-ID owner waits 2.1–4 s (here 210–400 ms); timers never fire early.
    const gap = retry.at - sent491.at;
    assert.ok(gap >= 2.1 * UNIT - 5, `retry only ${gap} ms after the 491`);
    assert.ok(gap < 2500, `retry ${gap} ms after the 491`);
  });
});
