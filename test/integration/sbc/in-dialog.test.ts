/**
 * In-dialog requests through the SBC in both directions (sbc-uac-in-dialog.xml ↔
 * sbc-uas-in-dialog.xml): hold and resume re-INVITEs from the caller with the SDP re-anchored by
 * rtpengine, INFO DTMF both ways, UPDATE after answer, a re-INVITE from the callee, and the
 * callee's BYE ending the caller's leg.
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
} from './sbc-fixture';

describe('SBC in-dialog requests from either side', function () {
  this.timeout(30_000);
  const peers = new Peers();
  afterEach(() => peers.stop());

  it('relays hold/resume, INFO both ways, UPDATE, a callee re-INVITE and the callee’s BYE', async () => {
    const calleeMedia = await freeRtpPortPair();
    const callerMedia = await freeRtpPortPair();
    const callee = await peers.callee('sbc-uas-in-dialog.xml', { mediaPort: calleeMedia });
    const sbc = await peers.sbcTo(callee);
    const caller = await callSbc(sbc, 'sbc-uac-in-dialog.xml', { mediaPort: callerMedia, timeoutMs: 15_000 });
    assert.equal(caller.outcome, 'all-succeeded', `${explain(caller)}\n${sbcLog(sbc)}`);
    const calleeResult = await callee.done;
    assert.equal(calleeResult.outcome, 'all-succeeded', explain(calleeResult));

    const atCallee = messagesOf(calleeResult);
    const invites = received(atCallee, 'INVITE sip:');
    assert.equal(invites.length, 3, 'initial INVITE, hold and resume reached the callee');
    for (const invite of invites) {
      const port = audioPort(invite);
      assert.ok(
        port > 0 && port !== callerMedia,
        `the callee sees rtpengine’s port, not the caller’s (${port})`,
      );
    }
    assert.match(invites[1] ?? '', /^a=sendonly/m);
    const update = received(atCallee, 'UPDATE sip:')[0] ?? '';
    assert.match(update, /^Content-Type: application\/sdp/im);
    assert.notEqual(audioPort(update), callerMedia);

    const atCaller = messagesOf(caller);
    const fromCallee = received(atCaller, 'INVITE sip:')[0] ?? '';
    assert.ok(fromCallee, 'the callee’s re-INVITE reached the caller');
    assert.notEqual(audioPort(fromCallee), calleeMedia, 'its SDP was re-anchored too');
    const info = received(atCaller, 'INFO sip:')[0] ?? '';
    assert.match(info, /^Content-Type: application\/dtmf-relay/im);
    assert.match(info, /^Signal=9/m);

    const cdr = await firstCdr(sbc);
    assert.equal(cdr.hangupBy, 'callee');
    await assertNothingHeld(sbc);
  });
});
