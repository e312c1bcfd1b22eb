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

  it('reports the shortest round trip of the last two full windows, so one late reply is no standing delay', () => {
    const { backlog, advance } = backlogAt();
    assert.equal(backlog.standingDelayMs(), 0, 'nothing sent');
    /** A window (starting now, on a window boundary) whose replies each waited `rtt` ms. */
    const windowOf = (rtt: number): void => {
      const queued = [backlog.begin(A), backlog.begin(B)];
      advance(rtt);
      for (const settle of queued) settle(false);
      advance(NG_DELAY_WINDOW_MS - rtt);
    };
    const slow = backlog.begin(A);
    advance(10);
    const fast = backlog.begin(A);
    advance(2);
    fast(false);
    advance(60);
    slow(false);
    assert.equal(backlog.standingDelayMs(), 0, 'the window has not ended yet');
    advance(NG_DELAY_WINDOW_MS - 72);
    windowOf(30);
    assert.equal(backlog.standingDelayMs(), 2, 'the shorter of 2 and 30 ms');
    windowOf(70);
    assert.equal(backlog.standingDelayMs(), 30, 'every reply of two windows waited at least 30 ms');
    windowOf(90);
    assert.equal(backlog.standingDelayMs(), 70);
  });

  it('takes one window of late replies (the catch-up after a stall) for no standing delay', () => {
    const { backlog, advance } = backlogAt();
    const prompt = backlog.begin(A);
    advance(5);
    prompt(false);
    advance(5);
    const beforeStall = [backlog.begin(A), backlog.begin(B)];
    // this thread stalls for 160 ms; the replies wait in its socket and are read after it
    advance(160);
    for (const settle of beforeStall) settle(false);
    advance(NG_DELAY_WINDOW_MS);
    assert.equal(
      backlog.standingDelayMs(),
      5,
      'every reply of the last window was late, not of the one before',
    );
    // a queue that stands: a command every 10 ms, each answered 160 ms after it was sent
    const inFlight: Array<(timedOut: boolean) => void> = [];
    for (let tick = 0; tick < 40; tick++) {
      inFlight.push(backlog.begin(tick % 2 === 0 ? A : B));
      if (inFlight.length > 16) inFlight.shift()?.(false);
      advance(10);
    }
    assert.equal(backlog.standingDelayMs(), 160);
  });

  it('counts a window through which commands waited unanswered as a delay of the whole window', () => {
    const { backlog, advance } = backlogAt();
    const stuck = backlog.begin(A);
    advance(NG_DELAY_WINDOW_MS);
    assert.equal(backlog.standingDelayMs(), 0, 'the command was sent within the window that ended');
    advance(NG_DELAY_WINDOW_MS);
    assert.equal(backlog.standingDelayMs(), 0, 'one window waited through so far');
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
