/**
 * Hostile and broken peers (issue 6 §8): a 200 OK without SDP to our offer, a malformed SDP offer,
 * a BYE for no call, a looping INVITE (Max-Forwards 0), and rtpengine dying mid-call. The SBC
 * answers each cleanly, leaves nothing behind and does not crash.
 */
import assert from 'node:assert/strict';
import { eventually, httpGet } from '../../support/http';
import { runSipp, startSippUas } from '../../support/sipp';
import { startTestSbc } from '../../support/sbc';
import { assertNothingHeld, explain, firstCdr, messagesOf, Peers, received, waitReady } from './sbc-fixture';

describe('SBC against hostile peers', function () {
  this.timeout(30_000);
  const peers = new Peers();
  afterEach(() => peers.stop());

  it('ends a call whose callee answers 200 without SDP: BYE to both sides', async () => {
    const callee = peers.add(await startSippUas({ scenario: 'invite-uas-no-sdp.xml', calls: 1 }));
    const sbc = (peers.sbc = await startTestSbc({ carrierPort: callee.port, capture: true }));
    await waitReady(sbc);
    const r = await runSipp({
      scenario: 'invite-uac-expect-bye.xml',
      remote: { host: '127.0.0.1', port: sbc.sipPort },
      calls: 1,
      timeoutMs: 10_000,
    });
    assert.equal(r.outcome, 'all-succeeded', explain(r));
    assert.equal((await callee.done).outcome, 'all-succeeded', 'the callee got ACK and BYE');
    const cdr = await firstCdr(sbc);
    assert.equal(cdr.finalReason, 'no-answer-sdp');
    await assertNothingHeld(sbc);
  });

  for (const [title, scenario, status] of [
    ['answers a malformed SDP offer with 488', 'invite-uac-bad-sdp.xml', 488],
    ['answers a BYE for an unknown call with 481', 'bye-uac-unknown.xml', 481],
    ['answers an INVITE with Max-Forwards 0 with 483', 'invite-uac-max-forwards-0.xml', 483],
  ] as const) {
    it(title, async () => {
      const callee = peers.add(await startSippUas({ scenario: 'invite-uas.xml' }));
      const sbc = (peers.sbc = await startTestSbc({ carrierPort: callee.port }));
      await waitReady(sbc);
      const r = await runSipp({
        scenario,
        remote: { host: '127.0.0.1', port: sbc.sipPort },
        calls: 1,
        timeoutMs: 10_000,
      });
      assert.equal(r.outcome, 'all-succeeded', explain(r));
      assert.ok(received(messagesOf(r), `SIP/2.0 ${status} `).length > 0, `got ${status}`);
      const calleeResult = await callee.stop(300);
      assert.equal(received(messagesOf(calleeResult), 'INVITE').length, 0, 'nothing reached the callee');
      await assertNothingHeld(sbc);
    });
  }

  it('carries a call to its BYE when rtpengine dies mid-call, and reports rtpengine down', async () => {
    const callee = peers.add(await startSippUas({ scenario: 'invite-uas.xml', calls: 1 }));
    const sbc = (peers.sbc = await startTestSbc({
      carrierPort: callee.port,
      capture: true,
      mediaYaml: '  pingIntervalSeconds: 1',
    }));
    await waitReady(sbc);
    const pid = sbc.logs.find((l) => l.msg === 'local rtpengine started')?.fields['pid'];
    assert.equal(typeof pid, 'number', 'the local rtpengine’s pid is logged');
    const running = runSipp({
      scenario: 'invite-uac.xml',
      remote: { host: '127.0.0.1', port: sbc.sipPort },
      calls: 1,
      pauseMs: 3000,
      timeoutMs: 15_000,
    });
    await new Promise((r) => setTimeout(r, 700));
    process.kill(pid as number, 'SIGKILL');
    await eventually(async () => {
      const ready = await httpGet(`${sbc.opsUrl}/ready`);
      assert.equal(ready.status, 503, ready.body);
      assert.match(ready.body, /rtpengine/);
    }, 8000);
    const r = await running;
    assert.equal(r.outcome, 'all-succeeded', `the call still ended with BYE/200: ${explain(r)}`);
    assert.equal((await callee.done).outcome, 'all-succeeded', 'the callee got its BYE');
    const cdr = await firstCdr(sbc, 'one CDR', 5000);
    assert.equal(cdr.hangupBy, 'caller');
    assert.deepEqual(
      sbc.logs.filter((l) => l.level === 'fatal').map((l) => l.msg),
      [],
    );
  });
});
