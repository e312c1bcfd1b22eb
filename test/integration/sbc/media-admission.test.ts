/**
 * Overload admission on the ng backlog (media.maxReplyDelayMs): while ng replies have a standing
 * delay above the bound, a new INVITE is refused at once with 503 + Retry-After, before any offer;
 * the call already admitted completes once its reply comes. The delay is made real by stopping
 * the rtpengine process (SIGSTOP) so the admitted call's offer waits through a whole window.
 */
import assert from 'node:assert/strict';
import { eventually, metricValue } from '../../support/http';
import { runSipp, startSippUas } from '../../support/sipp';
import { header, sendSipRequest } from '../../support/udp-sip-client';
import { explain, Peers } from './sbc-fixture';

describe('SBC admission on the rtpengine ng backlog', function () {
  this.timeout(30_000);
  const peers = new Peers();
  afterEach(() => peers.stop());

  it('refuses new calls with 503 while ng replies are delayed, and completes the admitted call', async () => {
    const callee = peers.add(await startSippUas({ scenario: 'invite-uas.xml', calls: 1 }));
    const sbc = await peers.sbcTo(callee, { mediaYaml: '  maxReplyDelayMs: 50\n  ngTimeoutMs: 5000' });
    const pid = sbc.logs.find((l) => l.msg === 'local rtpengine started')?.fields['pid'];
    assert.equal(typeof pid, 'number', 'the local rtpengine’s pid is logged');
    process.kill(pid as number, 'SIGSTOP');
    let stopped = true;
    try {
      const admitted = runSipp({
        scenario: 'invite-uac.xml',
        remote: { host: '127.0.0.1', port: sbc.sipPort },
        calls: 1,
        timeoutMs: 15_000,
      });
      await eventually(async () => {
        assert.equal(await metricValue(sbc.opsUrl, /^palisade_rtpengine_ng_pending (\d+)$/m), 1);
        // the offer waited through a whole window (100 ms)
        assert.equal(
          await metricValue(sbc.opsUrl, /^palisade_rtpengine_ng_standing_delay_seconds ([\d.]+)$/m),
          0.1,
        );
      }, 5000);
      const started = Date.now();
      const refused = await sendSipRequest(sbc.sipPort, 'INVITE', { timeoutMs: 3000 });
      const final = refused[refused.length - 1];
      assert.equal(final?.status, 503, final?.text);
      assert.match(final.text, /^SIP\/2\.0 503 Overloaded/);
      assert.equal(header(final, 'Retry-After'), '2');
      assert.ok(Date.now() - started < 1000, 'refused without waiting for the offer');
      process.kill(pid as number, 'SIGCONT');
      stopped = false;
      const r = await admitted;
      assert.equal(r.outcome, 'all-succeeded', explain(r));
      assert.equal(await metricValue(sbc.opsUrl, /^palisade_rtpengine_ng_pending (\d+)$/m), 0);
      assert.equal(
        await metricValue(
          sbc.opsUrl,
          /^palisade_pipeline_rejections_total\{stage="media-backlog",status="503"\} (\d+)$/m,
        ),
        1,
      );
    } finally {
      if (stopped) process.kill(pid as number, 'SIGCONT');
    }
  });
});
