/** OverloadGuard: event-loop delay threshold with hysteresis, server-transaction high-water mark. */
import assert from 'node:assert/strict';
import { OverloadGuard } from '../../../../lib/sip/stack';

describe('OverloadGuard', () => {
  it('sheds while the lag is above the threshold and stops below half of it', () => {
    let lag = 0;
    const g = new OverloadGuard({ maxEventLoopDelayMs: 100, lagSource: () => lag });
    assert.equal(g.shouldShed(0), false);
    lag = 150;
    assert.equal(g.shouldShed(0), true);
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
});
