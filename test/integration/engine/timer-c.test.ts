/**
 * Timer C for the apps' INVITEs (lib/engine/core/timer-c.ts) with real sipp callees: a callee that
 * rings and never answers is CANCELled when Timer C fires (the app sees its 487); one that rings
 * and then vanishes — answers neither the INVITE nor the CANCEL — is given up 64·T1 later (RFC 3261
 * §9.1) and the app gets a 408; either way the engine keeps no dialog or transaction.
 */
import assert from 'node:assert/strict';
import { startSippUas, type SippUas } from '../../support/sipp';
import { startTestEngine, type TestEngine } from '../../support/engine';
import { eventually } from '../../support/http';
import { APP_SDP } from './engine-fixture';

const SDP = APP_SDP;
/** T1 100 ms: 64·T1 = 6.4 s. */
const TIMERS = { t1: 100, t2: 400, t4: 500, timerC: 1500 };

describe('engine Timer C (RFC 3261 §16.8, §9.1) for app INVITEs', function () {
  this.timeout(60_000);
  let engine: TestEngine | undefined;
  let uas: SippUas | undefined;

  afterEach(async () => {
    await uas?.stop(500);
    uas = undefined;
    await engine?.close();
    engine = undefined;
  });

  it('CANCELs an INVITE that rang but got no final response within Timer C', async () => {
    engine = await startTestEngine(TIMERS);
    uas = await startSippUas({ scenario: 'invite-uas-ring-no-answer.xml', calls: 1 });
    const srf = await engine.connectApp();
    const started = Date.now();
    await assert.rejects(
      srf.createUAC(`sip:service@127.0.0.1:${uas.port}`, { localSdp: SDP }),
      (e: { status?: number }) => e.status === 487,
    );
    assert.ok(Date.now() - started >= TIMERS.timerC, 'not before Timer C');
    const result = await uas.done;
    assert.equal(result.outcome, 'all-succeeded', result.output + result.errors);
  });

  it('gives up an INVITE whose callee vanished after its 180: 408 to the app, no transaction left', async () => {
    engine = await startTestEngine(TIMERS);
    uas = await startSippUas({ scenario: 'invite-uas-ring-vanish.xml', calls: 1 });
    const srf = await engine.connectApp();
    const started = Date.now();
    await assert.rejects(
      srf.createUAC(`sip:service@127.0.0.1:${uas.port}`, { localSdp: SDP }),
      (e: { status?: number }) => e.status === 408,
    );
    assert.ok(Date.now() - started >= TIMERS.timerC + 64 * TIMERS.t1, 'not before Timer C + 64·T1');
    const e = engine;
    await eventually(() => {
      assert.deepEqual(e.engine.transactionCounts, { server: 0, client: 0 });
    }, 5000);
  });
});
