/**
 * Mid-call takeover after kill -9 (issue 8 point 4), through the documented floating-IP path:
 * instance A serves SIP on a VIP, instance B (ip_nonlocal_bind) also listens on it; with calls
 * established through A, A's host is SIGKILLed and the VIP moved to B (keepalived's job; here
 * `ip addr del/add` and a neighbour flush). The calls' later re-INVITE, UPDATE, INFO and BYE —
 * from the caller in one variant, from the callee in the other — must be carried by B on the same
 * rtpengine session. The negative control runs B with `instance.takeover.enabled: false` and must
 * fail the way an SBC without takeover fails: 481 to the re-INVITE. Real redis-server, rtpengine,
 * two `bin/palisade start` processes and sipp, in network namespaces (root only).
 */
import assert from 'node:assert/strict';
import { requireTakeoverLab } from '../support/takeover-lab/availability';
import { callsWithStatus, finalStatuses, receivedMediaByCall } from '../support/takeover-lab/media-trace';
import { runTakeover, type TakeoverOutcome, type Variant } from '../support/takeover-lab/takeover-run';

const CALLS = 4;
/** Packets per end in a 1 s window (one 20 ms stream alone sends 50/s; four calls run). */
const MIN_RTP_PACKETS = 25;

function assertCompleted(o: TakeoverOutcome, side: 'carrier' | 'callee'): void {
  const r = o[side];
  assert.equal(r.exitCode, 0, `${side} sipp failed:\n${o.report()}`);
  assert.ok(r.stats, `${side}: no sipp statistics\n${o.report()}`);
  assert.equal(r.stats.successful, o.calls, `${side}: successful calls\n${o.report()}`);
  assert.equal(r.stats.failed, 0, `${side}: failed calls\n${o.report()}`);
}

/** Every SDP a side received in a call names one media endpoint: the rtpengine session stayed. */
function assertSameMedia(o: TakeoverOutcome, side: 'carrier' | 'callee', minSdps: number): void {
  const calls = receivedMediaByCall(o[side].messages);
  assert.equal(calls.length, o.calls, `${side}: calls with SDP in the trace\n${o.report()}`);
  for (const c of calls) {
    assert.equal(c.endpoints.length, 1, `${side}: media moved in ${c.callId}: ${c.endpoints.join(' -> ')}`);
    assert.ok(c.sdpCount >= minSdps, `${side}: only ${c.sdpCount} SDP bodies in ${c.callId}`);
  }
}

/** RTP reached both ends (tone from the carrier, echoed by the callee) before the kill and on B's watch. */
function assertMediaFlows(o: TakeoverOutcome): void {
  for (const [when, w] of [
    ['before the kill', o.rtpBeforeKill],
    ['after the takeover', o.rtpAfterTakeover],
  ] as const) {
    assert.ok(w, `no RTP window ${when}\n${o.report()}`);
    const ok = w.toCarrier >= MIN_RTP_PACKETS && w.toCallee >= MIN_RTP_PACKETS;
    assert.ok(ok, `RTP ${when}: ${JSON.stringify(w)}\n${o.report()}`);
  }
}

describe('takeover lab: calls survive kill -9 of their instance (floating IP)', function () {
  this.timeout(150_000);

  before(async function () {
    await requireTakeoverLab(this);
  });

  const cases: { variant: Variant; sdpsAtCarrier: number; sdpsAtCallee: number; rtp: boolean }[] = [
    // carrier: 200s to INVITE, re-INVITE, UPDATE; callee: INVITE, re-INVITE, UPDATE offers
    { variant: 'caller-driven', sdpsAtCarrier: 3, sdpsAtCallee: 3, rtp: true },
    // carrier: 200 to INVITE, the callee's re-INVITE; callee: INVITE offer, 200 to its re-INVITE
    { variant: 'callee-driven', sdpsAtCarrier: 2, sdpsAtCallee: 2, rtp: false },
  ];

  for (const { variant, sdpsAtCarrier, sdpsAtCallee, rtp } of cases) {
    it(`${variant}: B carries every call to its BYE on the same rtpengine session`, async () => {
      const o = await runTakeover({ variant, takeover: true, calls: CALLS });
      assert.equal(o.ownedByA.length, CALLS, o.report());
      assert.ok(o.rtpengineBefore.length >= CALLS, `rtpengine sessions before the kill\n${o.report()}`);
      assertCompleted(o, 'carrier');
      assertCompleted(o, 'callee');
      assertSameMedia(o, 'carrier', sdpsAtCarrier);
      assertSameMedia(o, 'callee', sdpsAtCallee);
      if (rtp) assertMediaFlows(o);
      assert.deepEqual([...o.takenOverByB].sort(), [...o.ownedByA].sort(), `B's takeovers\n${o.report()}`);
      assert.deepEqual(o.rtpengineAfter, [], `rtpengine sessions left\n${o.report()}`);
      assert.deepEqual(o.callKeysAfter, [], `call records left in Redis\n${o.report()}`);
    });
  }

  it("A's instance entry still live: B finds A dead by the unanswered OPTIONS probe and takes over", async () => {
    // a 30 s heartbeat keeps A's entry for 90 s, far beyond the 12 s pause
    const o = await runTakeover({
      variant: 'caller-driven',
      takeover: true,
      calls: CALLS,
      heartbeatSeconds: 30,
    });
    assert.ok(o.aEntryTtlAtKill > 30, `A's entry should outlive the pause\n${o.report()}`);
    assertCompleted(o, 'carrier');
    assertCompleted(o, 'callee');
    assertSameMedia(o, 'carrier', 3);
    assertMediaFlows(o);
    assert.ok(o.probedDead >= 1, `B never probed A\n${o.report()}`);
    assert.deepEqual([...o.takenOverByB].sort(), [...o.ownedByA].sort(), `B's takeovers\n${o.report()}`);
    assert.deepEqual(o.rtpengineAfter, [], `rtpengine sessions left\n${o.report()}`);
  });

  it('negative control: with takeover off on B the re-INVITE gets 481 and every call fails', async () => {
    const o = await runTakeover({ variant: 'caller-driven', takeover: false, calls: CALLS });
    assert.equal(o.ownedByA.length, CALLS, o.report());
    assert.notEqual(o.carrier.exitCode, 0, `the carrier's calls passed without takeover\n${o.report()}`);
    assert.equal(o.carrier.stats?.successful ?? 0, 0, o.report());
    const refused = callsWithStatus(o.carrier.messages, 'INVITE', 481);
    assert.equal(refused.length, CALLS, `re-INVITEs refused with 481: ${refused.join(', ')}\n${o.report()}`);
    assert.deepEqual(o.takenOverByB, [], o.report());
  });

  it('negative control (split brain): the VIP moves while A lives on; A answers the probe, B takes nothing', async () => {
    const o = await runTakeover({ variant: 'caller-driven', takeover: true, calls: CALLS, killA: false });
    assert.equal(o.ownedByA.length, CALLS, o.report());
    assert.deepEqual(o.takenOverByB, [], `B took calls of a live instance\n${o.report()}`);
    assert.ok(o.liveOwnerRefusals >= 1, `B never found A alive\n${o.report()}`);
    const statuses = finalStatuses(o.carrier.messages, 'INVITE');
    assert.ok(statuses.includes(481), `statuses: ${statuses.join(',')}\n${o.report()}`);
  });
});
