import assert from 'node:assert/strict';
import { FakeClock } from '../../../../lib/util/clock';
import { IdleTimer } from '../../../../lib/sip/transport/idle-timer';

describe('IdleTimer', () => {
  it('fires only after a full quiet period, counting from the last activity', () => {
    const clock = new FakeClock();
    let fired = 0;
    const timer = new IdleTimer(clock, 1000, () => fired++);
    clock.advance(900);
    timer.touch();
    clock.advance(900);
    assert.equal(fired, 0);
    clock.advance(100);
    assert.equal(fired, 1);
    clock.advance(5000);
    assert.equal(fired, 1, 'fires once');
  });

  it('can be stopped, and is disabled by a zero timeout', () => {
    const clock = new FakeClock();
    let fired = 0;
    new IdleTimer(clock, 100, () => fired++).stop();
    new IdleTimer(clock, 0, () => fired++);
    clock.advance(1000);
    assert.equal(fired, 0);
    assert.equal(clock.pendingCount, 0);
  });
});
