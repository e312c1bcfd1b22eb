/**
 * RFC 4028 session timers across the B2BUA, each leg on its own (the engine runs the timers;
 * its "second" is shortened to 20 ms here):
 *  - a trunk with `outbound.sessionTimer` gets Session-Expires on the INVITE and Palisade, the
 *    refresher, re-INVITEs the gateway (sbc-uas-session-refresh.xml) while the call lasts;
 *  - a caller that is the refresher and never refreshes (invite-uac-session-timer.xml) gets a
 *    BYE, so does the callee, and the CDR says session-expired.
 */
import assert from 'node:assert/strict';
import {
  assertNothingHeld,
  callSbc,
  carrierWithTimer,
  explain,
  firstCdr,
  messagesOf,
  Peers,
  received,
  sbcLog,
} from './sbc-fixture';

describe('SBC session timers (RFC 4028)', function () {
  this.timeout(40_000);
  const peers = new Peers();
  afterEach(() => peers.stop());

  it('refreshes the gateway leg when the trunk asks for a timer with Palisade as refresher', async () => {
    const callee = await peers.callee('sbc-uas-session-refresh.xml');
    const sbc = await peers.sbcTo(callee, {
      routingYaml: carrierWithTimer(callee.port, '{ seconds: 90 }'),
      msPerSecond: 20,
    });
    const caller = await callSbc(sbc, 'invite-uac.xml', { pauseMs: 3000, timeoutMs: 20_000 });
    assert.equal(caller.outcome, 'all-succeeded', `${explain(caller)}\n${sbcLog(sbc)}`);
    const calleeResult = await callee.done;
    assert.equal(calleeResult.outcome, 'all-succeeded', explain(calleeResult));
    const invites = received(messagesOf(calleeResult), 'INVITE sip:');
    // 3 s of call at a 45 "s" (0.9 s) refresh period: at least two refreshes.
    assert.ok(invites.length >= 3, `refreshes reached the gateway (${invites.length - 1})`);
    assert.equal(received(messagesOf(caller), 'INVITE sip:').length, 0, 'the caller’s leg saw none of them');
    const cdr = await firstCdr(sbc);
    assert.equal(cdr.hangupBy, 'caller');
    await assertNothingHeld(sbc);
  });

  it('ends the call on both legs when the caller misses the refresh it owes', async () => {
    const callee = await peers.callee('invite-uas.xml');
    const sbc = await peers.sbcTo(callee, { msPerSecond: 20 });
    const caller = await callSbc(sbc, 'invite-uac-session-timer.xml', { timeoutMs: 20_000 });
    assert.equal(caller.outcome, 'all-succeeded', `${explain(caller)}\n${sbcLog(sbc)}`);
    const calleeResult = await callee.done;
    assert.equal(calleeResult.outcome, 'all-succeeded', 'the callee got its BYE too');
    const cdr = await firstCdr(sbc);
    assert.equal(cdr.finalReason, 'session-expired');
    assert.equal(cdr.hangupBy, 'system');
    await assertNothingHeld(sbc);
  });
});
