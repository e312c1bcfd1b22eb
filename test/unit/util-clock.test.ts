import assert from 'node:assert/strict';
import { FakeClock } from '../../lib/util/clock';

describe('FakeClock', () => {
  it('fires timers in due order and only when advanced past them', () => {
    const clock = new FakeClock();
    const fired: string[] = [];
    clock.setTimer(500, () => fired.push('b'));
    clock.setTimer(100, () => fired.push('a'));
    const cancelled = clock.setTimer(200, () => fired.push('never'));
    cancelled.cancel();
    clock.advance(99);
    assert.deepEqual(fired, []);
    clock.advance(401);
    assert.deepEqual(fired, ['a', 'b']);
    assert.equal(clock.now(), 500);
  });

  it('fires timers scheduled by a firing timer within the same advance', () => {
    const clock = new FakeClock();
    const fired: number[] = [];
    clock.setTimer(10, () => {
      fired.push(clock.now());
      clock.setTimer(10, () => fired.push(clock.now()));
    });
    clock.advance(25);
    assert.deepEqual(fired, [10, 20]);
    assert.equal(clock.pendingCount, 0);
  });
});
