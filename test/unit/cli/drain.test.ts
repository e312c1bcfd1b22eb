/** The drain controller (issue 8 §5) on a fake clock and a fake app, and its admin routes. */
import assert from 'node:assert/strict';
import { DrainController, DRAIN_DEADLINE_REASON, type Drainable } from '../../../lib/cli/drain';
import { drainRoutes, parseDeadline } from '../../../lib/cli/drain-routes';
import { FakeClock } from '../../../lib/util/clock';
import { silentLog } from '../../../lib/util/logger';

class FakeApp implements Drainable {
  activeCalls = 0;
  retryAfter: (() => number) | undefined;
  retryAfterNow(): number | undefined {
    return this.retryAfter?.();
  }
  endedWith: string[] = [];
  startDraining(retryAfterSeconds: () => number): void {
    this.retryAfter = retryAfterSeconds;
  }
  endAll(reason: string): Promise<void> {
    this.endedWith.push(reason);
    this.activeCalls = 0;
    return Promise.resolve();
  }
}

function setup(calls: number, defaultDeadlineSeconds = 30) {
  const clock = new FakeClock();
  const app = new FakeApp();
  app.activeCalls = calls;
  let notReady = 0;
  const drain = new DrainController({
    target: app,
    markNotReady: () => notReady++,
    defaultDeadlineSeconds,
    clock,
    log: silentLog,
    pollMs: 100,
  });
  let finished = false;
  void drain.finished.then(() => (finished = true));
  const settle = () => new Promise<void>((r) => setImmediate(r));
  return { clock, app, drain, notReady: () => notReady, finished: () => finished, settle };
}

describe('DrainController', () => {
  it('serves until started, then turns not ready and refuses new calls at once', () => {
    const t = setup(2);
    assert.equal(t.drain.status().phase, 'serving');
    assert.equal(t.app.retryAfter, undefined);
    const s = t.drain.start();
    assert.equal(s.phase, 'draining');
    assert.equal(s.callsAtStart, 2);
    assert.equal(t.notReady(), 1);
    assert.equal(t.app.retryAfterNow(), 30, 'Retry-After = seconds left');
    t.clock.advance(10_500);
    assert.equal(t.app.retryAfterNow(), 20);
    assert.equal(t.drain.status().secondsLeft, 19.5);
  });

  it('finishes as soon as the last call ends, without ending any', async () => {
    const t = setup(2);
    t.drain.start();
    t.clock.advance(1000);
    t.app.activeCalls = 1;
    t.clock.advance(1000);
    await t.settle();
    assert.equal(t.finished(), false);
    t.app.activeCalls = 0;
    t.clock.advance(100);
    await t.settle();
    assert.equal(t.finished(), true);
    assert.deepEqual(t.app.endedWith, []);
    assert.equal(t.drain.status().phase, 'drained');
    assert.equal(t.drain.status().endedAtDeadline, 0);
  });

  it('finishes at once with no call up', async () => {
    const t = setup(0);
    t.drain.start();
    await t.settle();
    assert.equal(t.finished(), true);
  });

  it('ends the remaining calls at the deadline and reports how many', async () => {
    const t = setup(3, 5);
    t.drain.start();
    t.clock.advance(4900);
    await t.settle();
    assert.deepEqual(t.app.endedWith, []);
    t.clock.advance(100);
    await t.settle();
    assert.deepEqual(t.app.endedWith, [DRAIN_DEADLINE_REASON]);
    assert.equal(t.finished(), true);
    assert.equal(t.drain.status().endedAtDeadline, 3);
  });

  it('is idempotent; a second start may only shorten the deadline', async () => {
    const t = setup(1, 60);
    t.drain.start();
    t.clock.advance(1000);
    assert.equal(t.drain.start(120).deadlineSeconds, 60, 'not lengthened');
    assert.equal(t.drain.start(5).deadlineSeconds, 5);
    assert.equal(t.notReady(), 1);
    t.clock.advance(4000);
    await t.settle();
    assert.deepEqual(t.app.endedWith, [DRAIN_DEADLINE_REASON]);
    t.drain.start(1);
    assert.equal(t.drain.status().phase, 'drained');
  });
});

describe('drain admin routes', () => {
  it('POST starts with the given deadline (202), GET shows progress, a bad deadline is 400', async () => {
    const t = setup(1, 60);
    const routes = drainRoutes(t.drain);
    const post = routes.find((r) => r.method === 'POST');
    const get = routes.find((r) => r.method === 'GET');
    assert.ok(post && get);
    assert.equal((await get.handle(new URLSearchParams())).status, 200);
    assert.equal((await post.handle(new URLSearchParams('deadline=-1'))).status, 400);
    assert.equal(t.drain.status().phase, 'serving');
    const started = await post.handle(new URLSearchParams('deadline=7'));
    assert.equal(started.status, 202);
    assert.deepEqual(
      [
        (started.body as { phase: string }).phase,
        (started.body as { deadlineSeconds: number }).deadlineSeconds,
      ],
      ['draining', 7],
    );
    assert.equal(((await get.handle(new URLSearchParams())).body as { activeCalls: number }).activeCalls, 1);
  });

  it('parses deadlines', () => {
    assert.equal(parseDeadline(null), undefined);
    assert.equal(parseDeadline('2.5'), 2.5);
    assert.equal(parseDeadline('0'), 0);
    assert.equal(typeof parseDeadline('soon'), 'object');
  });
});
