/**
 * RFC 4028 details through the SBC with the real engine, rtpengine and sipp (the engine's
 * "second" shortened per test):
 *  - glare on Palisade's own refresh (sbc-uas-refresh-491.xml): the gateway answers the refresh
 *    491 and must see it again after RFC 3261 §14.1's 2.1–4 "s", long before the next half interval;
 *  - 422 (§7.4): the gateway's 422 to the INVITE (sbc-uas-422.xml) and to a refresh
 *    (sbc-uas-refresh-422.xml) is answered by a retry with its Min-SE; the trunk's `minSe` goes
 *    into the INVITE;
 *  - Min-SE on the caller's leg (`engine.sessionTimer.minSe`): 422 with it, the retry succeeds;
 *  - §9 on the caller's leg: a caller that supports timers and names no refresher is made the
 *    refresher and its missing refresh ends the call; a caller that does not support timers gets
 *    refresher=uas and Palisade re-INVITEs it.
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
  settle,
  statusesIn,
} from './sbc-fixture';

describe('SBC session timers: glare, Min-SE and 422, RFC 4028 §9 on the caller’s leg', function () {
  this.timeout(60_000);
  const peers = new Peers();
  afterEach(() => peers.stop());

  async function gatewayCall(scenario: string, sessionTimer: string, ms: number, pauseMs: number) {
    const callee = await peers.callee(scenario);
    const sbc = await peers.sbcTo(callee, {
      routingYaml: carrierWithTimer(callee.port, sessionTimer),
      msPerSecond: ms,
    });
    const caller = await callSbc(sbc, 'invite-uac.xml', { pauseMs, timeoutMs: 30_000 });
    const calleeResult = await settle(caller, callee);
    assert.equal(caller.outcome, 'all-succeeded', `${explain(caller)}\n${sbcLog(sbc)}`);
    assert.equal(calleeResult.outcome, 'all-succeeded', `${explain(calleeResult)}\n${sbcLog(sbc)}`);
    return { sbc, caller, callee: calleeResult };
  }

  it('retries its own refresh after the §14.1 glare wait when the gateway answers 491', async () => {
    // A "second" of 100 ms: the first refresh 4.5 s after the answer, the retry 0.21–0.4 s later;
    // waiting another half interval (the old behaviour) would put it after the caller's BYE (7 s).
    const { sbc, callee } = await gatewayCall('sbc-uas-refresh-491.xml', '{ seconds: 90 }', 100, 7000);
    assert.ok(statusesIn(messagesOf(callee)).includes(491));
    assert.ok(received(messagesOf(callee), 'INVITE sip:').length >= 3, 'INVITE, refresh and its retry');
    const retried = sbc.logs.find((l) => l.msg === 'session refresh retried');
    assert.ok(retried, sbcLog(sbc));
    const after = Number(retried.fields.after);
    assert.ok(after >= 2.1 && after <= 4, `we own the gateway leg's Call-ID: 2.1–4 s, got ${after}`);
    assert.equal((await firstCdr(sbc)).hangupBy, 'caller');
    await assertNothingHeld(sbc);
  });

  it('sends the trunk’s Min-SE and retries the INVITE with the gateway’s Min-SE after 422', async () => {
    const { sbc, callee } = await gatewayCall('sbc-uas-422.xml', '{ seconds: 150, minSe: 120 }', 1000, 500);
    const invites = received(messagesOf(callee), 'INVITE sip:');
    const header = (name: string) => (m: string) =>
      new RegExp(`^${name}:\\s*(.+)$`, 'im').exec(m)?.[1]?.trim();
    const cseqs = new Set(invites.map(header('CSeq')));
    assert.equal(cseqs.size, 2, 'the INVITE and its retry (retransmissions aside), the next CSeq');
    assert.equal(new Set(invites.map(header('Call-ID'))).size, 1, 'the retry keeps the Call-ID (§7.4)');
    const cdr = await firstCdr(sbc);
    assert.equal(cdr.finalStatus, 200);
    await assertNothingHeld(sbc);
  });

  it('retries a refresh refused with 422 at once with the gateway’s Min-SE', async () => {
    const { sbc, callee } = await gatewayCall('sbc-uas-refresh-422.xml', '{ seconds: 90 }', 20, 3000);
    assert.ok(statusesIn(messagesOf(callee)).includes(422));
    assert.equal((await firstCdr(sbc)).hangupBy, 'caller');
    await assertNothingHeld(sbc);
  });

  async function callerCall(scenario: string, engineYaml?: string, pauseMs?: number) {
    const callee = await peers.callee('invite-uas.xml');
    const sbc = await peers.sbcTo(callee, {
      ...(engineYaml === undefined ? {} : { engineYaml }),
      msPerSecond: 20,
    });
    const caller = await callSbc(sbc, scenario, {
      ...(pauseMs === undefined ? {} : { pauseMs }),
      timeoutMs: 20_000,
    });
    const calleeResult = await settle(caller, callee);
    assert.equal(caller.outcome, 'all-succeeded', `${explain(caller)}\n${sbcLog(sbc)}`);
    assert.equal(calleeResult.outcome, 'all-succeeded', `${explain(calleeResult)}\n${sbcLog(sbc)}`);
    return { sbc, caller, callee: calleeResult };
  }

  it('answers a caller below engine.sessionTimer.minSe 422 with that Min-SE; its retry connects', async () => {
    const { sbc, caller } = await callerCall('invite-uac-422-retry.xml', 'sessionTimer: { minSe: 300 }', 500);
    assert.deepEqual(
      statusesIn(messagesOf(caller)).filter((s) => s >= 200),
      [422, 200, 200],
      'the 422, the 200 to the retry, the 200 to the BYE',
    );
    assert.equal((await firstCdr(sbc)).hangupBy, 'caller');
    await assertNothingHeld(sbc);
  });

  it('§9: a caller that supports timers and names no refresher is made the refresher and held to it', async () => {
    const { sbc } = await callerCall('invite-uac-timer-no-refresher.xml');
    const cdr = await firstCdr(sbc);
    assert.equal(cdr.finalReason, 'session-expired');
    assert.equal(cdr.hangupBy, 'system');
    await assertNothingHeld(sbc);
  });

  it('§9: a caller without timer support gets refresher=uas and Palisade refreshes it', async () => {
    const { sbc, caller, callee } = await callerCall('invite-uac-timer-unsupported.xml');
    assert.equal(received(messagesOf(caller), 'INVITE sip:').length, 1, 'one refresh reached the caller');
    assert.equal(received(messagesOf(callee), 'INVITE sip:').length, 1, 'none reached the callee');
    assert.equal((await firstCdr(sbc)).hangupBy, 'caller');
    await assertNothingHeld(sbc);
  });
});
