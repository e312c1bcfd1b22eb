/**
 * A call whose re-INVITE the callee refuses (sbc-uac-reinvite-<status>.xml ↔
 * sbc-uas-reinvite-<status>.xml, the callee echoing RTP), and rtpengine's view of it: the media
 * must be back on the previous offer/answer, RTP still flowing both ways.
 */
import assert from 'node:assert/strict';
import { defaultInstanceId } from '../../../lib/config/schema/root';
import { NgClient } from '../../../lib/media/ng-client';
import { parseQueryReply, type MediaStats } from '../../../lib/media/media-stats';
import { silentLog } from '../../../lib/util/logger';
import { eventually } from '../../support/http';
import type { SippResult, SippUas } from '../../support/sipp';
import { toneFile } from '../../support/sipp-rtp';
import type { TestSbc } from '../../support/sbc';
import { callSbc, type Peers, sbcLog } from './sbc-fixture';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** rtpengine's statistics of the SBC's one call. */
export async function queryCall(sbc: TestSbc, ng: NgClient): Promise<MediaStats> {
  const calls = await sbc.internals.state.listCallsByOwner(defaultInstanceId());
  const id = calls[0]?.id;
  assert.ok(id, 'the call is recorded');
  return parseQueryReply(await ng.query(sbc.ng, { 'call-id': id }));
}

/**
 * Over 1.5 s: exactly the two legs (no untagged monologue left over from an earlier offer), RTP
 * still coming from each, each leg's media still going to its old address (127.0.0.1).
 */
export async function assertMediaKept(sbc: TestSbc): Promise<void> {
  const ng = new NgClient(2000, silentLog);
  try {
    await sleep(300);
    const before = await queryCall(sbc, ng);
    await sleep(1500);
    const after = await queryCall(sbc, ng);
    const legs = Object.keys(after.legs);
    assert.equal(legs.length, 2, JSON.stringify(after));
    for (const tag of legs) {
      const leg = after.legs[tag];
      const was = before.legs[tag];
      assert.ok(leg && was);
      assert.ok(leg.fromLeg.packets > was.fromLeg.packets + 20, `RTP still flows from ${tag}`);
      assert.equal(leg.endpoint?.address, '127.0.0.1', `media for ${tag} still goes to its old address`);
    }
  } finally {
    ng.close();
  }
}

/**
 * Starts the call (the caller's re-INVITE 4 s in, its BYE later) and returns once the callee's
 * `status` went back to the caller and the SBC logged the call as staying up.
 */
export async function refusedReinvite(
  peers: Peers,
  status: 488 | 491,
): Promise<{ sbc: TestSbc; callee: SippUas; callerRun: Promise<SippResult> }> {
  const callee = await peers.callee(`sbc-uas-reinvite-${status}.xml`, { rtpEcho: true });
  const sbc = await peers.sbcTo(callee);
  const callerRun = callSbc(sbc, `sbc-uac-reinvite-${status}.xml`, {
    pauseMs: 4000,
    rtpStream: toneFile({ seconds: 1 }),
    timeoutMs: 25_000,
  });
  await eventually(() => {
    assert.ok(
      sbc.logs.some((l) => l.msg === 're-INVITE not completed; call stays up' && l.fields.status === status),
      `the ${status} went back to the caller\n${sbcLog(sbc)}`,
    );
  }, 10_000);
  return { sbc, callee, callerRun };
}
