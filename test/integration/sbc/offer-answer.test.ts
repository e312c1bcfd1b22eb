/**
 * Offer/answer edge cases through the SBC with the real engine, rtpengine and sipp:
 *  - late offer (sbc-uac-late-offer.xml ↔ sbc-uas-late-offer.xml): INVITE without SDP, the
 *    callee's 200 carries the offer and the caller's ACK the answer, both re-anchored; then
 *    offerless re-INVITEs from either side (offer in the 200, answer in the ACK);
 *  - 491 glare (sbc-uac-glare.xml ↔ sbc-uas-glare.xml): the callee's re-INVITE crossing the one
 *    we relay to it gets our 491, the callee's 491 to ours goes back to the caller, whose retry
 *    then succeeds;
 *  - a re-INVITE the callee rejects (488) leaves the call up with rtpengine restored to the
 *    previous offer/answer, and RTP keeps flowing both ways.
 */
import assert from 'node:assert/strict';
import { freeRtpPortPair } from '../../support/sipp-rtp';
import {
  assertNothingHeld,
  audioPort,
  callSbc,
  explain,
  firstCdr,
  messagesOf,
  Peers,
  received,
  sbcLog,
  settle,
  statusesIn,
} from './sbc-fixture';
import { assertMediaKept, refusedReinvite } from './refused-reinvite';

const hasSdp = (msg: string): boolean => /^m=audio /m.test(msg);

describe('SBC offer/answer: late offer, glare, failed re-INVITE', function () {
  this.timeout(40_000);
  const peers = new Peers();
  afterEach(() => peers.stop());

  it('bridges a late offer and offerless re-INVITEs from both sides through rtpengine', async () => {
    const calleeMedia = await freeRtpPortPair();
    const callerMedia = await freeRtpPortPair();
    const callee = await peers.callee('sbc-uas-late-offer.xml', { mediaPort: calleeMedia });
    const sbc = await peers.sbcTo(callee);
    const caller = await callSbc(sbc, 'sbc-uac-late-offer.xml', {
      mediaPort: callerMedia,
      timeoutMs: 20_000,
    });
    const calleeResult = await settle(caller, callee);
    assert.equal(
      caller.outcome,
      'all-succeeded',
      `${explain(caller)}\n${explain(calleeResult)}\n${sbcLog(sbc)}`,
    );
    assert.equal(calleeResult.outcome, 'all-succeeded', explain(calleeResult));

    const atCallee = messagesOf(calleeResult);
    const invites = received(atCallee, 'INVITE sip:');
    assert.equal(invites.length, 2, 'the initial INVITE and the caller’s re-INVITE');
    for (const invite of invites) assert.ok(!hasSdp(invite), 'no offer was invented for the callee');
    const acks = received(atCallee, 'ACK sip:').filter(hasSdp);
    assert.equal(acks.length, 2, 'both ACKs to the callee carry the caller’s answer');
    for (const ack of acks) assert.notEqual(audioPort(ack), callerMedia, 'anchored in rtpengine');
    const calleeOffer = received(atCallee, 'SIP/2.0 200').find(hasSdp) ?? '';
    assert.ok(calleeOffer, 'the callee’s 200 to its own offerless re-INVITE carries our offer');
    assert.notEqual(audioPort(calleeOffer), callerMedia);

    const atCaller = messagesOf(caller);
    const offers = received(atCaller, 'SIP/2.0 200').filter(hasSdp);
    assert.equal(offers.length, 2, 'the 200s to both of the caller’s INVITEs carry an offer');
    for (const offer of offers) assert.notEqual(audioPort(offer), calleeMedia, 'anchored in rtpengine');
    const fromCallee = received(atCaller, 'INVITE sip:')[0] ?? '';
    assert.ok(fromCallee && !hasSdp(fromCallee), 'the callee’s offerless re-INVITE reached the caller');
    const answer = received(atCaller, 'ACK sip:').find(hasSdp) ?? '';
    assert.ok(answer, 'the caller got the callee’s answer in our ACK');
    assert.notEqual(audioPort(answer), calleeMedia);

    const cdr = await firstCdr(sbc);
    assert.equal(cdr.hangupBy, 'caller');
    assert.equal(cdr.finalStatus, 200);
    // log.sipMessages (on in the fixture): every message in and out, e.g. both legs' INVITEs
    const traced = sbc.logs
      .filter((l) => l.msg === 'sip message')
      .map((l) => `${String(l.fields.dir)} ${String(l.fields.line)} ${String(l.fields.cseq)}`);
    for (const expected of [
      /^in INVITE sip:\S+ SIP\/2\.0 1 INVITE$/,
      /^out INVITE sip:\S+ SIP\/2\.0 1 INVITE$/,
    ])
      assert.ok(
        traced.some((t) => expected.test(t)),
        `${String(expected)} in ${traced.join('\n')}`,
      );
    await assertNothingHeld(sbc);
  });

  async function glare(): Promise<void> {
    const callee = await peers.callee('sbc-uas-glare.xml');
    const sbc = await peers.sbcTo(callee);
    const caller = await callSbc(sbc, 'sbc-uac-glare.xml', { timeoutMs: 20_000 });
    const calleeResult = await settle(caller, callee);
    assert.equal(
      caller.outcome,
      'all-succeeded',
      `${explain(caller)}\n${explain(calleeResult)}\n${sbcLog(sbc)}`,
    );
    assert.equal(calleeResult.outcome, 'all-succeeded', `${explain(calleeResult)}\n${sbcLog(sbc)}`);
    assert.ok(statusesIn(messagesOf(caller)).includes(491), 'the caller saw the callee’s 491');
    assert.equal(
      received(messagesOf(caller), 'INVITE sip:').length,
      0,
      'the callee’s crossing re-INVITE stopped at the SBC',
    );
    assert.equal(
      received(messagesOf(calleeResult), 'INVITE sip:').length,
      3,
      'INVITE, first re-INVITE and retry',
    );
    await assertNothingHeld(sbc);
  }

  it('answers 491 to a crossing re-INVITE and relays the callee’s 491; the retry succeeds', glare);

  it('relays a re-INVITE sent right after the ACK although the app thread reads both in one go', async () => {
    // The SBC's app runs on this thread: kept busy, it reads our 2xx's "sent" report, the
    // caller's ACK and its re-INVITE from the engine together, before the call has its in-dialog
    // handlers; drachtio-srf then answered the re-INVITE 200 itself (engine-link.ts HoldingSrf).
    const busy = setInterval(() => {
      const until = Date.now() + 80;
      while (Date.now() < until);
    }, 90);
    try {
      await glare();
    } finally {
      clearInterval(busy);
    }
  });

  it('keeps the call and its media after the callee rejects a re-INVITE with 488', async () => {
    const { sbc, callerRun } = await refusedReinvite(peers, 488);
    await assertMediaKept(sbc);
    const caller = await callerRun;
    assert.equal(caller.outcome, 'all-succeeded', `${explain(caller)}\n${sbcLog(sbc)}`);
    assert.ok(statusesIn(messagesOf(caller)).includes(488));
    const cdr = await firstCdr(sbc);
    assert.equal(cdr.hangupBy, 'caller');
    await assertNothingHeld(sbc);
  });
});
