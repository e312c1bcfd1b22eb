/**
 * `palisade start` as a real process: comes up ready with real rtpengine, serves /metrics,
 * /health and /ready, shuts down cleanly on SIGTERM and SIGINT, and never leaves its spawned
 * rtpengine behind, even when killed with SIGKILL.
 */
import assert from 'node:assert/strict';
import type { ReadinessSnapshot } from '../../lib/observe/readiness';
import { eventually, httpGet } from '../support/http';
import {
  isAlive,
  runPalisade,
  startPalisade,
  writeTestConfig,
  type PalisadeProcess,
} from '../support/palisade-process';

async function waitReady(p: PalisadeProcess): Promise<ReadinessSnapshot> {
  return eventually(async () => {
    const r = await httpGet(`${p.opsUrl}/ready`);
    assert.equal(r.status, 200, `${r.body}\nstderr: ${p.stderr()}`);
    return JSON.parse(r.body) as ReadinessSnapshot;
  }, 20_000);
}

function rtpenginePid(p: PalisadeProcess): number {
  const line = p.logs().find((l) => l.msg === 'local rtpengine started');
  assert.ok(line && typeof line.pid === 'number', 'log line with the rtpengine pid');
  return line.pid;
}

describe('palisade start (process lifecycle)', function () {
  this.timeout(60_000);
  const running: PalisadeProcess[] = [];
  afterEach(() => {
    for (const p of running.splice(0)) p.child.kill('SIGKILL');
  });

  it('becomes ready with engine, rtpengine and state up, and serves metrics and health', async () => {
    const p = await startPalisade();
    running.push(p);
    const snap = await waitReady(p);
    assert.deepEqual(Object.keys(snap.dependencies).sort(), ['engine', 'rtpengine', 'state']);
    for (const dep of Object.values(snap.dependencies)) assert.equal(dep.up, true);
    const metrics = await httpGet(`${p.opsUrl}/metrics`);
    assert.match(metrics.body, /^palisade_build_info\{version="\d+\.\d+\.\d+",commit="[^"]+",node="v\d+/m);
    assert.match(metrics.body, /^palisade_dependency_up\{dependency="engine"\} 1$/m);
    // the engine worker thread's own isolate: a heap of its own, committed at least what it uses
    const engineHeap = (kind: string): number =>
      Number(
        new RegExp(`^palisade_engine_heap_bytes\\{kind="${kind}"\\} (\\d+)$`, 'm').exec(metrics.body)?.[1],
      );
    assert.ok(engineHeap('used') > 1_000_000, metrics.body);
    assert.ok(engineHeap('total') >= engineHeap('used'));
    assert.equal((await httpGet(`${p.opsUrl}/health`)).status, 200);
    assert.match(p.stderr(), /SIP +udp:127\.0\.0\.1:\d+/);
    assert.match(p.stderr(), /metrics +http:\/\/127\.0\.0\.1:\d+\/metrics/);
    assert.doesNotMatch(p.stdout(), /"secret":"(?!\[redacted\])/, 'the engine secret is never logged');
    // the B2BUA reached its engine worker over the in-process link (ADR 0013), not loopback TCP
    const apps = p.logs().filter((l) => l.msg === 'app authenticated');
    assert.deepEqual(
      apps.map((l) => l.app),
      ['in-process app:0'],
    );
  });

  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`shuts down cleanly on ${signal} and stops its rtpengine`, async () => {
      const p = await startPalisade();
      running.push(p);
      await waitReady(p);
      const pid = rtpenginePid(p);
      assert.ok(isAlive(pid));
      const t0 = Date.now();
      p.child.kill(signal);
      const { code } = await p.exited;
      assert.equal(code, 0, p.stderr());
      assert.ok(Date.now() - t0 < 15_000, 'bounded shutdown');
      await eventually(() => {
        assert.equal(isAlive(pid), false);
      }, 5000);
      assert.ok(
        p.logs().some((l) => l.msg === 'stopped'),
        'final log line flushed',
      );
    });
  }

  it('takes its spawned rtpengine with it when killed with SIGKILL', async () => {
    const p = await startPalisade();
    running.push(p);
    await waitReady(p);
    const pid = rtpenginePid(p);
    p.child.kill('SIGKILL');
    await p.exited;
    await eventually(() => {
      assert.equal(isAlive(pid), false);
    }, 5000);
  });

  it('applies PALISADE_* environment overrides at start-up', async () => {
    const { file } = await writeTestConfig();
    const p = runPalisade(['start', '--config', file], { PALISADE_LOG__LEVEL: 'warn' });
    running.push({ ...p, opsUrl: '', configFile: file });
    await eventually(() => {
      assert.match(p.stderr(), /palisade is running/);
    }, 20_000);
    assert.equal(
      p.logs().filter((l) => l.level === 'info').length,
      0,
      'info lines suppressed by the override',
    );
  });

  it('refuses to start on an invalid configuration and spawns nothing', async () => {
    const { file } = await writeTestConfig('routes: [ { from: nowhere, to: { trunk: missing } } ]');
    const p = runPalisade(['start', '--config', file]);
    const { code } = await p.exited;
    assert.equal(code, 1);
    assert.match(p.stderr(), /invalid configuration/);
    assert.match(p.stderr(), /routes\[0\]/);
    assert.doesNotMatch(p.stdout(), /local rtpengine started/);
  });

  it('exits 2 with one line for a missing configuration file', async () => {
    const p = runPalisade(['start', '--config', '/nonexistent/palisade.yaml']);
    const { code } = await p.exited;
    assert.equal(code, 2);
    assert.equal(p.stderr().trim().split('\n').length, 1);
  });
});
