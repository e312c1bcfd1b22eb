import assert from 'node:assert/strict';
import { NG_DELAY_WINDOW_MS, NgBacklog } from '../../../lib/media/ng-backlog';

const A = { host: '127.0.0.1', port: 22222 };
const B = { host: '127.0.0.1', port: 22223 };

/** A backlog on a clock the test moves by hand. */
function backlogAt(): { backlog: NgBacklog; advance: (ms: number) => void } {
  let now = 1000;
  return {
    backlog: new NgBacklog(() => now),
    advance: (ms) => {
      now += ms;
    },
  };
}

describe('NgBacklog', () => {
  it('counts commands from send until they settle, once each', () => {
    const { backlog } = backlogAt();
    const first = backlog.begin(A);
    const second = backlog.begin(B);
    assert.equal(backlog.pending, 2);
    first(false);
    first(false);
    assert.equal(backlog.pending, 1);
    second(false);
    assert.equal(backlog.pending, 0);
  });

  it('leaves out an engine whose last command timed out until it answers again', () => {
    const { backlog } = backlogAt();
    const lost = backlog.begin(A);
    const waiting = [backlog.begin(A), backlog.begin(A)];
    const healthy = backlog.begin(B);
    assert.equal(backlog.pending, 4);
    lost(true);
    assert.equal(backlog.pending, 1, "A's two other commands no longer count");
    const more = backlog.begin(A);
    assert.equal(backlog.pending, 1, 'new commands to a silent engine do not count either');
    waiting[0]?.(false);
    assert.equal(backlog.pending, 3, 'A answered: its two remaining commands count again');
    waiting[1]?.(false);
    more(false);
    healthy(false);
    assert.equal(backlog.pending, 0);
  });

  it('reports the shortest round trip of the last full window, so one late reply is no standing delay', () => {
    const { backlog, advance } = backlogAt();
    assert.equal(backlog.standingDelayMs(), 0, 'nothing sent');
    const slow = backlog.begin(A);
    advance(10);
    const fast = backlog.begin(A);
    advance(2);
    fast(false);
    advance(60);
    slow(false);
    assert.equal(backlog.standingDelayMs(), 0, 'the window has not ended yet');
    advance(NG_DELAY_WINDOW_MS);
    assert.equal(backlog.standingDelayMs(), 2);
    const queued = [backlog.begin(A), backlog.begin(B)];
    advance(70);
    for (const settle of queued) settle(false);
    advance(40);
    assert.equal(backlog.standingDelayMs(), 70, 'every reply of the window waited 70 ms');
  });

  it('counts a window through which commands waited unanswered as a delay of the whole window', () => {
    const { backlog, advance } = backlogAt();
    const stuck = backlog.begin(A);
    advance(NG_DELAY_WINDOW_MS);
    assert.equal(backlog.standingDelayMs(), 0, 'the command was sent within the window that ended');
    advance(NG_DELAY_WINDOW_MS);
    assert.equal(backlog.standingDelayMs(), NG_DELAY_WINDOW_MS);
    advance(5 * NG_DELAY_WINDOW_MS);
    assert.equal(backlog.standingDelayMs(), NG_DELAY_WINDOW_MS, 'still waiting after quiet windows');
    stuck(true);
    advance(NG_DELAY_WINDOW_MS);
    assert.equal(backlog.standingDelayMs(), 0, 'a timed-out engine is failover’s business');
  });

  it('does not count the unanswered commands of a silent engine as a stall', () => {
    const { backlog, advance } = backlogAt();
    backlog.begin(A)(true);
    backlog.begin(A);
    const answered = backlog.begin(B);
    advance(3);
    answered(false);
    advance(2 * NG_DELAY_WINDOW_MS);
    assert.equal(backlog.standingDelayMs(), 0);
  });
});
