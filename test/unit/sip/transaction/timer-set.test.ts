import assert from 'node:assert/strict';
import { FakeClock } from '../../../../lib/util/clock';
import { TimerSet } from '../../../../lib/sip/transaction/timer-set';

describe('TimerSet', () => {
  function setup(): { clock: FakeClock; fired: string[]; timers: TimerSet<'A' | 'B'> } {
    const clock = new FakeClock();
    const fired: string[] = [];
    const timers = new TimerSet<'A' | 'B'>(clock, {
      onTimer: (name) => fired.push(`${name}@${clock.now()}`),
    });
    return { clock, fired, timers };
  }

  it('restarting a running timer replaces it instead of running both', () => {
    const { clock, fired, timers } = setup();
    timers.start('A', 100);
    clock.advance(50);
    timers.start('A', 100);
    clock.advance(200);
    assert.deepEqual(fired, ['A@150']);
  });

  it('forgets a timer once it fired, cancels one by name, and cancels all', () => {
    const { clock, fired, timers } = setup();
    timers.start('A', 10);
    timers.start('B', 20);
    clock.advance(10);
    assert.deepEqual(timers.names(), ['B']);
    timers.cancel('B');
    timers.cancel('A');
    clock.advance(100);
    assert.deepEqual(fired, ['A@10']);
    timers.start('A', 5);
    timers.start('B', 5);
    timers.cancelAll();
    clock.advance(100);
    assert.deepEqual(fired, ['A@10']);
    assert.equal(clock.pendingCount, 0);
  });
});
