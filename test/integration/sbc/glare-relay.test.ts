/**
 * A relayed re-INVITE that meets glare stays relayed (RFC 3261 §14.1): the callee's 491 goes
 * back to the caller — Palisade does not retry it on the caller's behalf — and rtpengine is put
 * back to the previous offer/answer, so RTP keeps flowing both ways to the old addresses even
 * though the refused offer moved the caller's media to 127.0.0.2
 * (sbc-uac-reinvite-491.xml ↔ sbc-uas-reinvite-491.xml, the callee echoing RTP).
 */
import assert from 'node:assert/strict';
import {
  assertNothingHeld,
  explain,
  firstCdr,
  messagesOf,
  Peers,
  received,
  sbcLog,
  statusesIn,
} from './sbc-fixture';
import { assertMediaKept, refusedReinvite } from './refused-reinvite';

describe('SBC glare on a relayed re-INVITE', function () {
  this.timeout(40_000);
  const peers = new Peers();
  afterEach(() => peers.stop());

  it('returns the callee’s 491 to the caller, sends no retry of its own and restores the media', async () => {
    const { sbc, callee, callerRun } = await refusedReinvite(peers, 491);
    await assertMediaKept(sbc);
    const caller = await callerRun;
    assert.equal(caller.outcome, 'all-succeeded', `${explain(caller)}\n${sbcLog(sbc)}`);
    assert.ok(statusesIn(messagesOf(caller)).includes(491), 'the caller saw the 491');
    const calleeResult = await callee.done;
    assert.equal(calleeResult.outcome, 'all-succeeded', explain(calleeResult));
    // Counted by CSeq: a slow sipp may see the re-INVITE retransmitted before its 491.
    const cseqs = new Set(
      received(messagesOf(calleeResult), 'INVITE sip:').map((m) => /^CSeq:\s*(\d+)/im.exec(m)?.[1]),
    );
    assert.equal(cseqs.size, 2, 'the INVITE and the one re-INVITE: no retry by the SBC');
    assert.equal((await firstCdr(sbc)).hangupBy, 'caller');
    await assertNothingHeld(sbc);
  });
});
