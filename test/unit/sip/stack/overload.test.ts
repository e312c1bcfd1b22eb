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
    assert.equal(g.shouldShed(0), false, 'one window over the threshold: a pause, not saturation');
    assert.equal(g.shouldShed(0), true, 'the second window in a row');
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

  it('caps admissions while the loop is busy and requests wait in the receive queue, though the delay stays low', () => {
    let queue = 300;
    const g = new OverloadGuard({
      maxEventLoopDelayMs: 100,
      maxEventLoopUtilization: 0.97,
      maxQueueDelayMs: 50,
      lagSource: () => 5,
      queueDelaySource: () => queue,
      utilizationSource: () => 1,
    });
    const admitted = (n: number): number =>
      Array.from({ length: n }, () => g.shouldShed(0)).filter((s) => !s).length;
    for (let i = 0; i < 2; i++) {
      assert.equal(admitted(50), 50);
      g.tick();
    }
    assert.equal(g.queueDelayMs, 300);
    assert.equal(admitted(50), 50);
    g.tick(); // three windows (750 ms) busy and over 50 ms of queue: cap at 80 % of 50
    assert.equal(g.admissionCap, 40);
    assert.equal(admitted(50), 40);
    const answer = { header: (h: string) => (h === 'proxy-authorization' ? 'Digest x' : undefined) };
    assert.equal(g.shouldShed(0, answer), false, 'the authenticated retry of an admitted exchange');
    queue = 200; // still over the threshold but the queue shrinks: the cap holds
    g.tick();
    assert.equal(g.admissionCap, 40);
    assert.equal(admitted(50), 40);
    g.tick(); // not shrinking any more: cut again
    assert.equal(g.admissionCap, 32);
    queue = 2; // busy (other processes take the CPU) but every datagram is read promptly
    g.tick();
    g.tick(); // nothing refused in a window below saturation: cap lifted
    assert.equal(g.admissionCap, undefined);
    for (let i = 0; i < 3; i++) {
      admitted(50);
      g.tick();
    }
    assert.equal(g.admissionCap, undefined, 'a busy loop that keeps up is not capped');
    g.close();
  });

  it('uses either signal alone when the other is off, and none with both off', () => {
    const util = new OverloadGuard({
      maxEventLoopDelayMs: 0,
      maxEventLoopUtilization: 0.9,
      utilizationSource: () => 1,
    });
    const queue = new OverloadGuard({
      maxEventLoopDelayMs: 0,
      maxEventLoopUtilization: 0,
      maxQueueDelayMs: 50,
      queueDelaySource: () => 150,
      manualWindows: true,
    });
    for (const g of [util, queue]) {
      for (let i = 0; i < 4; i++) {
        for (let j = 0; j < 20; j++) g.shouldShed(0);
        g.tick();
      }
      assert.equal(g.admissionCap, 12);
      g.close();
    }
    const off = new OverloadGuard({
      maxEventLoopDelayMs: 0,
      maxQueueDelayMs: 0,
      maxEventLoopUtilization: 0,
      queueDelaySource: () => 1e6,
      utilizationSource: () => 1,
    });
    for (let i = 0; i < 5; i++) {
      off.tick();
      assert.equal(off.shouldShed(0), false);
    }
    assert.equal(off.admissionCap, undefined);
    off.close();
  });

  it("counts the app thread's event-loop delay as its own (engine in a worker thread)", () => {
    let appLag = 0;
    const g = new OverloadGuard({
      maxEventLoopDelayMs: 100,
      maxEventLoopUtilization: 0,
      maxQueueDelayMs: 0,
      peerLagMs: () => appLag,
    });
    g.tick();
    assert.equal(g.shouldShed(0), false, 'both loops idle');
    appLag = 250;
    g.tick();
    assert.equal(g.shouldShed(0), false, 'one slow window (a GC pause of the app thread) sheds nothing');
    g.tick();
    assert.equal(g.shouldShed(0), true, 'the app thread lags: shed although this loop is idle');
    assert.ok(g.eventLoopDelayMs >= 250);
    appLag = 10;
    g.tick();
    assert.equal(g.shouldShed(0), false, 'back under half the threshold');
    appLag = 250;
    g.tick();
    appLag = 10;
    g.tick();
    appLag = 250;
    g.tick();
    assert.equal(g.shouldShed(0), false, 'isolated slow windows never add up');
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
