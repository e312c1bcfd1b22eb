/**
 * Forked early dialogs (RFC 3261 §13.2.2.4, §12.1.2): the callee side answers with two 183s
 * carrying different To tags and SDPs (sbc-uas-forked.xml). Each goes to the caller re-anchored in
 * rtpengine on the caller's single early dialog (sbc-uac-forked.xml), rtpengine switches to the
 * latest fork, and the call completes with the fork that answers.
 */
import assert from 'node:assert/strict';
import { defaultInstanceId } from '../../../lib/config/schema/root';
import { eventually } from '../../support/http';
import { freeRtpPortPair, toneFile } from '../../support/sipp-rtp';
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
} from './sbc-fixture';

describe('SBC forked early dialogs', function () {
  this.timeout(30_000);
  const peers = new Peers();
  afterEach(() => peers.stop());

  it('relays early media of each fork and completes with the one that answers', async () => {
    const calleeMedia = await freeRtpPortPair();
    const callee = await peers.callee('sbc-uas-forked.xml', { mediaPort: calleeMedia, rtpEcho: true });
    const sbc = await peers.sbcTo(callee);
    const caller = await callSbc(sbc, 'sbc-uac-forked.xml', {
      pauseMs: 1500,
      rtpStream: toneFile({ seconds: 1 }),
      timeoutMs: 15_000,
    });
    assert.equal(caller.outcome, 'all-succeeded', `${explain(caller)}\n${sbcLog(sbc)}`);
    const calleeResult = await callee.done;
    assert.equal(calleeResult.outcome, 'all-succeeded', explain(calleeResult));

    const atCaller = messagesOf(caller);
    const early = received(atCaller, 'SIP/2.0 183');
    assert.equal(early.length, 2, 'both forks’ 183s reached the caller');
    const toTags = new Set(early.map((m) => /^To:.*;tag=([^;\s]+)/im.exec(m)?.[1]));
    assert.equal(toTags.size, 1, 'on the caller’s one early dialog (topology hidden)');
    for (const m of early) assert.notEqual(audioPort(m), calleeMedia, 'anchored in rtpengine');
    const cdr = await firstCdr(sbc);
    assert.equal(cdr.finalStatus, 200);
    assert.ok(
      cdr.media && cdr.media.calleeToCaller.packets > 10,
      `media from the answering fork counted: ${JSON.stringify(cdr.media)}`,
    );
    // The call record is gone, and the engine holds nothing: the losing fork's early dialog
    // ended when the other fork's 2xx confirmed the call (RFC 3261 §13.2.2.4).
    await eventually(async () => {
      assert.deepEqual(await sbc.internals.state.listCallsByOwner(defaultInstanceId()), []);
    });
    await assertNothingHeld(sbc);
  });
});
