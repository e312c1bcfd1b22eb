/**
 * OverloadGuard: event-loop delay threshold with hysteresis, server-transaction high-water mark,
 * admitted-requests-per-second cap (a flood the event loop keeps up with); which requests may be shed.
 */
import assert from 'node:assert/strict';
import { OverloadGuard } from '../../../../lib/sip/stack';
import { isSheddable } from '../../../../lib/sip/stack/overload';

describe('OverloadGuard', () => {
  it('sheds while the lag is above the threshold and stops below half of it', () => {
    let lag = 0;
    const g = new OverloadGuard({ maxEventLoopDelayMs: 100, lagSource: () => lag });
    assert.equal(g.shouldShed(0), false);
    lag = 150;
    assert.equal(g.shouldShed(0), true);
    assert.equal(g.eventLoopDelayMs, 150);
    lag = 70; // under the threshold, above half: still shedding (hysteresis)
    assert.equal(g.shouldShed(0), true);
    lag = 40;
    assert.equal(g.shouldShed(0), false);
    g.close();
  });

  it('sheds at the server-transaction high-water mark, independent of the lag', () => {
    const g = new OverloadGuard({ maxEventLoopDelayMs: 0, maxServerTransactions: 10, lagSource: () => 1e6 });
    assert.equal(g.shouldShed(9), false);
    assert.equal(g.shouldShed(10), true);
    g.close();
  });

  it('carries the configured Retry-After and is off when both limits are 0', () => {
    const g = new OverloadGuard({ maxEventLoopDelayMs: 0, retryAfterSeconds: 12 });
    assert.equal(g.retryAfter, '12');
    assert.equal(g.shouldShed(1e9), false);
    g.close();
  });

  it('measures the real event loop by default and can be closed', () => {
    const g = new OverloadGuard({ sampleIntervalMs: 20 });
    assert.equal(g.shouldShed(0), false);
    g.close();
  });

  it('caps sheddable requests admitted per second while the lag stays low', () => {
    let t = 0;
    const g = new OverloadGuard({
      maxEventLoopDelayMs: 100,
      lagSource: () => 0,
      maxNewRequestsPerSecond: 10,
      now: () => t,
    });
    const admitted = (n: number): number =>
      Array.from({ length: n }, () => g.shouldShed(0)).filter((s) => !s).length;
    assert.equal(admitted(25), 10, 'a burst: the first 10 in the second are admitted, the rest shed');
    assert.equal(g.admittedPerSecond, 10);
    t = 1500; // half of the previous second still counts: 10 × 0.5 = 5 admitted so far
    assert.equal(admitted(25), 5);
    t = 5000; // quiet for long: the window is empty again
    assert.equal(g.admittedPerSecond, 0);
    assert.equal(admitted(3), 3);
    g.close();
  });

  it('gives retries answering a digest challenge their own budget under the rate cap', () => {
    const t = 0;
    const g = new OverloadGuard({ maxEventLoopDelayMs: 0, maxNewRequestsPerSecond: 4, now: () => t });
    const fresh = Array.from({ length: 10 }, () => g.shouldShed(0)).filter((s) => !s).length;
    const answers = Array.from({ length: 10 }, () =>
      g.shouldShed(0, { header: (h) => (h === 'authorization' ? 'Digest x' : undefined) }),
    ).filter((s) => !s).length;
    assert.deepEqual([fresh, answers], [4, 4], 'new requests and credentialed retries each get 4 per second');
    assert.equal(g.shouldShed(0), true, 'the fresh budget stays spent');
    g.close();
  });

  it('has no rate cap by default', () => {
    const g = new OverloadGuard({ maxEventLoopDelayMs: 0 });
    for (let i = 0; i < 10_000; i++) assert.equal(g.shouldShed(0), false);
    assert.equal(g.admittedPerSecond, 0);
    g.close();
  });

  it('sheds out-of-dialog requests that create work, never in-dialog ones, ACK, CANCEL or OPTIONS', () => {
    for (const m of ['INVITE', 'REGISTER', 'SUBSCRIBE', 'MESSAGE', 'PUBLISH', 'REFER'])
      assert.equal(isSheddable(m, undefined), true, m);
    for (const m of ['ACK', 'CANCEL', 'OPTIONS']) assert.equal(isSheddable(m, undefined), false, m);
    for (const m of ['INVITE', 'REGISTER', 'BYE', 'NOTIFY'])
      assert.equal(isSheddable(m, 'tag1'), false, `in-dialog ${m}`);
  });
});
