import assert from 'node:assert/strict';
import { FakeClock } from '../../../../lib/util/clock';
import { TimerQueues, type TimerOwner } from '../../../../lib/sip/transaction/timer-queues';
import type { TimerName } from '../../../../lib/sip/transaction/timers';

function recorder(clock: FakeClock, fired: string[], label: string): TimerOwner {
  return { onTimer: (name: TimerName) => fired.push(`${label}.${name}@${clock.now()}`) };
}

describe('TimerQueues', () => {
  it('fires timers of one duration in start order on one clock timer, and of several in due order', () => {
    const clock = new FakeClock();
    const queues = new TimerQueues(clock);
    const fired: string[] = [];
    queues.start(1000, recorder(clock, fired, 'a'), 'J');
    clock.advance(10);
    queues.start(1000, recorder(clock, fired, 'b'), 'J');
    queues.start(500, recorder(clock, fired, 'c'), 'E');
    assert.equal(clock.pendingCount, 2, 'one clock timer per duration');
    clock.advance(2000);
    assert.deepEqual(fired, ['c.E@510', 'a.J@1000', 'b.J@1010']);
    assert.equal(clock.pendingCount, 0);
  });

  it('a cancelled timer never fires; cancelling the only live ones leaves no clock timer', () => {
    const clock = new FakeClock();
    const queues = new TimerQueues(clock);
    const fired: string[] = [];
    const a = queues.start(1000, recorder(clock, fired, 'a'), 'B');
    clock.advance(1);
    const b = queues.start(1000, recorder(clock, fired, 'b'), 'B');
    clock.advance(1);
    queues.start(1000, recorder(clock, fired, 'c'), 'B');
    queues.cancel(b); // behind the head
    queues.cancel(a); // the head: the queue re-arms for c
    clock.advance(1000);
    assert.deepEqual(fired, ['c.B@1002']);
    const d = queues.start(1000, recorder(clock, fired, 'd'), 'B');
    queues.cancel(d);
    queues.cancel(d);
    assert.equal(clock.pendingCount, 0);
  });

  it('an owner may start a timer of the same duration while the queue fires', () => {
    const clock = new FakeClock();
    const queues = new TimerQueues(clock);
    const fired: string[] = [];
    const again: TimerOwner = {
      onTimer: (name) => {
        fired.push(`${name}@${clock.now()}`);
        if (fired.length < 3) queues.start(100, again, name);
      },
    };
    queues.start(100, again, 'G');
    clock.advance(1000);
    assert.deepEqual(fired, ['G@100', 'G@200', 'G@300']);
    assert.equal(clock.pendingCount, 0);
  });

  it('does not keep cancelled entries of a queue that never empties', () => {
    const clock = new FakeClock();
    const queues = new TimerQueues(clock);
    const fired: string[] = [];
    let previous = queues.start(32_000, recorder(clock, fired, 'b'), 'B');
    for (let i = 0; i < 100_000; i++) {
      const next = queues.start(32_000, recorder(clock, fired, 'b'), 'B');
      queues.cancel(previous); // the head: answered at once, as INVITEs at a steady call rate are
      previous = next;
      clock.advance(1);
    }
    assert.ok(queues.held < 4096, `${queues.held} entries held`);
    assert.deepEqual(fired, []);
  });

  it('sweeps cancelled entries behind a live head once they are most of the queue', () => {
    const clock = new FakeClock();
    const queues = new TimerQueues(clock);
    const fired: string[] = [];
    queues.start(32_000, recorder(clock, fired, 'head'), 'B'); // stays live: nothing reaches the head
    for (let i = 0; i < 10_000; i++) {
      const t = queues.start(32_000, recorder(clock, fired, `t${i}`), 'B');
      if (i % 100 !== 0) queues.cancel(t); // answered within milliseconds, as most INVITEs are
      clock.advance(1);
    }
    assert.ok(queues.held < 2500, `${queues.held} entries held`);
    clock.advance(32_000);
    const expected = ['head.B@32000'];
    for (let i = 0; i < 10_000; i += 100) expected.push(`t${i}.B@${32_000 + i}`);
    assert.deepEqual(fired, expected);
    assert.equal(clock.pendingCount, 0);
    assert.equal(queues.held, 0);
  });
});
