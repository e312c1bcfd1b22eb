import assert from 'node:assert/strict';
import { FakeClock } from '../../../lib/util/clock';
import { MediaError } from '../../../lib/media/media-error';
import type { MediaStats } from '../../../lib/media/media-stats';
import { MediaCheckPace } from '../../../lib/media/media-check-pace';
import { watchMediaTimeout, type MediaTimeoutEvent } from '../../../lib/media/media-timeout';

const settle = () => new Promise((r) => setImmediate(r));
const statsWith = (packets: number): MediaStats => ({
  legs: {
    A: {
      tag: 'A',
      fromLeg: { packets, bytes: 0 },
      toLeg: { packets: 0, bytes: 0 },
      errors: 0,
      lastPacketAt: undefined,
      endpoint: undefined,
      localPort: undefined,
    },
  },
  rtp: { packets, bytes: 0 },
});

async function tick(clock: FakeClock, ms: number, times: number): Promise<void> {
  for (let i = 0; i < times; i++) {
    clock.advance(ms);
    await settle();
  }
}

describe('watchMediaTimeout', () => {
  it('fires no-media once the counters stop moving for the timeout, and only once', async () => {
    const clock = new FakeClock();
    let packets = 0;
    let result: MediaStats | Error = statsWith(0);
    const session = {
      query: () => (result instanceof Error ? Promise.reject(result) : Promise.resolve(result)),
    };
    const events: MediaTimeoutEvent[] = [];
    watchMediaTimeout(session, 1000, 5, (e) => events.push(e), { clock });
    for (let i = 0; i < 10; i++) {
      result = statsWith((packets += 50));
      await tick(clock, 1000, 1);
    }
    assert.equal(events.length, 0);
    result = new MediaError('MEDIA_ENGINE_TIMEOUT', 'lost ng packet');
    await tick(clock, 1000, 2);
    assert.equal(events.length, 0, 'a failed query is retried, not a timeout by itself');
    result = statsWith(packets);
    await tick(clock, 1000, 10);
    assert.equal(events.length, 1);
    assert.equal(events[0]!.reason, 'no-media');
    assert.ok(events[0]!.idleMs >= 5000);
    assert.equal(clock.pendingCount, 0, 'stopped after firing');
  });

  it('fires engine-ended when rtpengine no longer knows the call; stop() cancels', async () => {
    const clock = new FakeClock();
    const events: MediaTimeoutEvent[] = [];
    const gone = { query: () => Promise.reject(new MediaError('MEDIA_UNKNOWN_CALL', 'Unknown call-id')) };
    watchMediaTimeout(gone, 500, 60, (e) => events.push(e), { clock });
    await tick(clock, 500, 1);
    assert.equal(events[0]?.reason, 'engine-ended');
    const w = watchMediaTimeout(gone, 500, 60, (e) => events.push(e), { clock });
    w.stop();
    await tick(clock, 500, 3);
    assert.equal(events.length, 1);
  });

  it('paces the queries of all calls together: at most maxPerSecond, each call less often when many are up', async () => {
    const clock = new FakeClock();
    const pace = new MediaCheckPace(1000, 4);
    let queries = 0;
    const session = {
      query: () => {
        queries++;
        return Promise.resolve(statsWith(queries)); // media keeps flowing
      },
    };
    const watches = Array.from({ length: 20 }, () =>
      watchMediaTimeout(session, pace, 60, () => undefined, { clock }),
    );
    assert.equal(pace.size, 20);
    assert.equal(pace.nextIntervalMs(), 5000, '20 calls at 4 per second: every 5 s');
    await tick(clock, 1000, 1); // the first checks were scheduled at join time
    queries = 0;
    await tick(clock, 1000, 20);
    assert.ok(queries <= 4 * 20 + 20, `${queries} queries in 20 s`);
    assert.ok(queries >= 3 * 20, `${queries} queries in 20 s: every call still checked`);
    for (const w of watches.slice(0, 18)) w.stop();
    assert.equal(pace.size, 2);
    assert.equal(pace.nextIntervalMs(), 1000, 'few calls: the configured interval');
    for (const w of watches) w.stop();
    assert.equal(pace.size, 0, 'stopping twice leaves once');
  });

  it('leaves the pace when it fires', async () => {
    const clock = new FakeClock();
    const pace = new MediaCheckPace(500, 100);
    const gone = { query: () => Promise.reject(new MediaError('MEDIA_UNKNOWN_CALL', 'Unknown call-id')) };
    watchMediaTimeout(gone, pace, 60, () => undefined, { clock });
    assert.equal(pace.size, 1);
    await tick(clock, 500, 1);
    assert.equal(pace.size, 0);
  });

  it("runs its first query at a shared first check's delay, hands that check the counters once, then keeps its pace", async () => {
    const clock = new FakeClock();
    const queriedAt: number[] = [];
    const session = {
      query: () => {
        queriedAt.push(clock.now());
        return Promise.resolve(statsWith(queriedAt.length));
      },
    };
    const consumed: MediaStats[] = [];
    const start = clock.now();
    const w = watchMediaTimeout(session, 1000, 60, () => undefined, {
      clock,
      first: { delayMs: 300, consume: (s) => consumed.push(s) },
    });
    await tick(clock, 100, 25);
    w.stop();
    assert.deepEqual(
      queriedAt.map((t) => t - start),
      [300, 1300, 2300],
    );
    assert.equal(consumed.length, 1);
    assert.equal(consumed[0]?.rtp.packets, 1);
  });

  it('never hands a first check anything when its query failed or the watch stopped before it', async () => {
    const clock = new FakeClock();
    const consumed: MediaStats[] = [];
    const first = { delayMs: 300, consume: (s: MediaStats) => consumed.push(s) };
    const failing = { query: () => Promise.reject(new MediaError('MEDIA_ENGINE_TIMEOUT', 'lost')) };
    const a = watchMediaTimeout(failing, 1000, 60, () => undefined, { clock, first });
    const ok = { query: () => Promise.resolve(statsWith(5)) };
    const b = watchMediaTimeout(ok, 1000, 60, () => undefined, { clock, first });
    b.stop();
    await tick(clock, 100, 25);
    a.stop();
    assert.deepEqual(consumed, []);
  });
});
