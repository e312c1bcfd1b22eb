/**
 * /ready follows a real rtpengine: 200 while it answers ng pings, 503 naming it once it is
 * stopped, 200 again when it is back. Real rtpengine, real HTTP, real UDP.
 */
import assert from 'node:assert/strict';
import { systemClock } from '../../lib/util/clock';
import { silentLog } from '../../lib/util/logger';
import { Metrics } from '../../lib/observe/metrics';
import { Readiness, type ReadinessSnapshot } from '../../lib/observe/readiness';
import { startOpsServer, type OpsServer } from '../../lib/observe/http-server';
import { NgClient } from '../../lib/media/ng-client';
import { RtpenginePool } from '../../lib/media/rtpengine-pool';
import type { LocalRtpengine } from '../../lib/media/local-rtpengine';
import { eventually, httpGet } from '../support/http';
import { startTestRtpengine } from '../support/local-rtpengine';

describe('readiness with a real rtpengine', function () {
  this.timeout(30_000);
  let rtpengine: LocalRtpengine | undefined;
  let ops: OpsServer | undefined;
  let pool: RtpenginePool | undefined;
  let client: NgClient | undefined;

  after(async () => {
    pool?.stop();
    client?.close();
    await ops?.close();
    await rtpengine?.stop();
  });

  it('flips /ready to 503 when rtpengine stops and back to 200 when it returns', async () => {
    rtpengine = await startTestRtpengine();
    const ng = rtpengine.ng;
    const readiness = new Readiness();
    readiness.declare('rtpengine', true);
    readiness.declare('state', true);
    readiness.report('state', true, 'memory');
    const metrics = new Metrics({ version: 't', commit: 't', node: process.version });
    client = new NgClient(300, silentLog);
    pool = new RtpenginePool({
      engines: [{ ng, weight: 1 }],
      pingIntervalMs: 200,
      failuresBeforeDown: 2,
      client,
      clock: systemClock,
      log: silentLog,
    });
    pool.onStatus((s) => {
      metrics.rtpengineUp.set({ engine: s.name }, s.up ? 1 : 0);
      readiness.report('rtpengine', s.up, s.detail);
    });
    ops = await startOpsServer({ address: '127.0.0.1', port: 0, metrics, readiness, log: silentLog });
    await pool.start();

    const ready = await httpGet(`${ops.url}/ready`);
    assert.equal(ready.status, 200, ready.body);
    assert.equal((JSON.parse(ready.body) as ReadinessSnapshot).dependencies.rtpengine?.up, true);

    await rtpengine.stop();
    const down = await eventually(async () => {
      const r = await httpGet(`${ops!.url}/ready`);
      assert.equal(r.status, 503);
      return r;
    });
    const snap = JSON.parse(down.body) as ReadinessSnapshot;
    assert.equal(snap.ready, false);
    assert.equal(snap.dependencies.rtpengine?.up, false);
    assert.equal(snap.dependencies.state?.up, true);
    assert.match(
      (await httpGet(`${ops.url}/metrics`)).body,
      /palisade_rtpengine_up\{engine="127\.0\.0\.1:\d+"\} 0/,
    );
    assert.equal((await httpGet(`${ops.url}/health`)).status, 200, 'liveness is unaffected by dependencies');

    rtpengine = await startTestRtpengine(ng.port);
    await eventually(async () => {
      assert.equal((await httpGet(`${ops!.url}/ready`)).status, 200);
    });
  });
});
