import assert from 'node:assert/strict';
import { FakeClock } from '../../../lib/util/clock';
import { silentLog } from '../../../lib/util/logger';
import type { NgAddress } from '../../../lib/media/ng-address';
import { RtpenginePool, type EngineStatus } from '../../../lib/media/rtpengine-pool';

class FakePinger {
  readonly answering = new Set<string>();
  ping(target: NgAddress): Promise<void> {
    return this.answering.has(`${target.host}:${target.port}`)
      ? Promise.resolve()
      : Promise.reject(new Error('timeout'));
  }
}

const settle = () => new Promise((r) => setImmediate(r));

function makePool(pinger: FakePinger, clock: FakeClock, random = () => 0.5) {
  return new RtpenginePool({
    engines: [
      { ng: { host: '127.0.0.1', port: 1 }, weight: 1 },
      { ng: { host: '127.0.0.1', port: 2 }, weight: 3 },
    ],
    pingIntervalMs: 1000,
    failuresBeforeDown: 2,
    client: pinger,
    clock,
    log: silentLog,
    random,
  });
}

describe('RtpenginePool', () => {
  it('marks an engine down only after consecutive failed pings and up on the first answer', async () => {
    const pinger = new FakePinger();
    pinger.answering.add('127.0.0.1:1');
    const clock = new FakeClock();
    const pool = makePool(pinger, clock);
    const events: EngineStatus[] = [];
    pool.onStatus((s) => events.push(s));
    await pool.start();
    assert.deepEqual(
      pool.statuses().map((s) => s.up),
      [true, false],
    );
    pinger.answering.delete('127.0.0.1:1');
    clock.advance(1000);
    await settle();
    assert.equal(pool.statuses()[0]?.up, true, 'one lost ping is not enough to mark it down');
    clock.advance(1000);
    await settle();
    assert.equal(pool.statuses()[0]?.up, false);
    assert.equal(pool.anyUp(), false);
    assert.equal(pool.select(), undefined, 'no engine for new calls while all are down');
    pinger.answering.add('127.0.0.1:1');
    clock.advance(1000);
    await settle();
    assert.equal(pool.statuses()[0]?.up, true);
    assert.ok(events.some((e) => e.name === '127.0.0.1:1' && !e.up));
    pool.stop();
  });

  it('selects among live engines by weight', async () => {
    const pinger = new FakePinger();
    pinger.answering.add('127.0.0.1:1');
    pinger.answering.add('127.0.0.1:2');
    let r = 0;
    const pool = makePool(pinger, new FakeClock(), () => r);
    await pool.start();
    r = 0.2; // 0.2 * 4 = 0.8 < 1 → first engine (weight 1)
    assert.equal(pool.select()?.ng.port, 1);
    r = 0.3; // 1.2 → second engine (weight 3)
    assert.equal(pool.select()?.ng.port, 2);
    pool.stop();
  });
});

describe('RtpenginePool.candidates', () => {
  it('orders every live engine once, by weighted random choice', async () => {
    const pinger = new FakePinger();
    pinger.answering.add('127.0.0.1:1');
    pinger.answering.add('127.0.0.1:2');
    const clock = new FakeClock();
    const first = makePool(pinger, clock, () => 0); // weight 1 of 4: engine 1 first
    await first.start();
    assert.deepEqual(
      first.candidates().map((e) => e.ng.port),
      [1, 2],
    );
    const second = makePool(pinger, clock, () => 0.5); // 2 of 4 falls in engine 2
    await second.start();
    assert.deepEqual(
      second.candidates().map((e) => e.ng.port),
      [2, 1],
    );
    pinger.answering.delete('127.0.0.1:2');
    const third = makePool(pinger, clock, () => 0.5);
    await third.start();
    assert.deepEqual(
      third.candidates().map((e) => e.ng.port),
      [1],
    );
    first.stop();
    second.stop();
    third.stop();
  });
});
