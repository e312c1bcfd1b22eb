/**
 * Overload at the engine: sipp offers far more calls per second than engine + srf B2BUA (in this
 * one mocha process) can carry for a few seconds. New INVITEs are refused early with 503 +
 * Retry-After (StackStats.overloadShed), the calls admitted still complete (the callee sees no
 * failure), and the engine is left with no dialogs.
 */
import assert from 'node:assert/strict';
import type Srf from 'drachtio-srf';
import { runSipp, startSippUas, type SippUas } from '../../support/sipp';
import { startTestEngine, type TestEngine } from '../../support/engine';
import { eventually } from '../../support/http';

describe('engine overload shedding (sipp beyond capacity)', function () {
  this.timeout(30_000);
  let t: TestEngine;
  let callee: SippUas | undefined;
  before(async () => {
    t = await startTestEngine(
      { t1: 500, t2: 4000, t4: 5000 },
      { maxEventLoopDelayMs: 40, sampleIntervalMs: 100, maxServerTransactions: 400 },
    );
  });
  after(async () => {
    await callee?.stop(2000);
    await t.close();
  });

  it('refuses excess INVITEs with 503 early while admitted calls complete', async () => {
    callee = await startSippUas({
      scenario: 'invite-uas-retransmitted.xml',
      traceMessages: false,
      timeoutIsError: false,
    });
    const calleePort = callee.port;
    await t.connectApp((srf: Srf) => {
      srf.invite((req, res) => {
        srf.createB2BUA(req, res, `sip:callee@127.0.0.1:${calleePort}`, { localSdpB: req.body }).then(
          ({ uas, uac }) => {
            uas.on('destroy', () => {
              uac.destroy(undefined, () => undefined);
            });
            uac.on('destroy', () => {
              uas.destroy(undefined, () => undefined);
            });
          },
          () => undefined,
        );
      });
    });
    const calls = 1500;
    const caller = await runSipp({
      scenario: 'invite-uac.xml',
      remote: { host: '127.0.0.1', port: t.sipPort },
      calls,
      rate: 750,
      maxConcurrent: calls,
      pauseMs: 200,
      traceMessages: false,
      recvTimeoutMs: 5_000,
      timeoutMs: 20_000,
      timeoutIsError: false,
    });
    const st = t.engine.stats;
    const shed = st.overloadShed;
    const byReason =
      st.overloadShedTransactions + st.overloadShedLag + st.overloadShedRate + st.overloadShedBusy;
    assert.equal(byReason, shed, 'every 503 counted under one reason');
    const ok = caller.stats.successful;
    assert.ok(shed > 0, `no INVITE was shed (ok ${ok}, failed ${caller.stats.failed})`);
    assert.ok(ok > 0, 'no call was admitted');
    // every call either completed or was refused with 503 (sipp counts those as failed)
    assert.ok(ok + caller.stats.failed >= calls - 50, `${ok} ok + ${caller.stats.failed} failed of ${calls}`);
    const uas = await callee.stop(5000);
    callee = undefined;
    assert.equal(uas.stats.failed, 0, `callee saw failed calls: ${uas.errors.slice(0, 500)}`);
    await eventually(() => {
      assert.equal(t.engine.state.dialogCount, 0);
    }, 10_000);
  });
});
