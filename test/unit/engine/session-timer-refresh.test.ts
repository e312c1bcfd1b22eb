/**
 * The refresher's reaction to the final response to its own refresh (session-timer/
 * refresh-outcome.ts): 491 → the RFC 3261 §14.1 random wait (2.1–4 s when we own the Call-ID,
 * 0–2 s otherwise, 10 ms steps), at most MAX_REFRESH_GLARES times an interval and never past
 * the expiry point (then give up); 405/501 to an UPDATE → as re-INVITE; 422 → once at once with
 * the peer's Min-SE (RFC 4028 §7.4).
 */
import assert from 'node:assert/strict';
import {
  MAX_REFRESH_GLARES,
  glareRetrySeconds,
  refreshOutcome,
  type RefreshContext,
} from '../../../lib/engine/session-timer/refresh-outcome';

const ctx = (over: Partial<RefreshContext> = {}): RefreshContext => ({
  interval: 90,
  minSe: 90,
  ownsCallId: true,
  retried422: false,
  method: 'INVITE',
  glares: 0,
  secondsToExpiry: 15,
  ...over,
});

describe('session timer: refresh outcome', () => {
  it('waits 2.1–4 s after 491 when this side generated the Call-ID', () => {
    assert.equal(
      glareRetrySeconds(true, () => 0),
      2.1,
    );
    assert.equal(
      glareRetrySeconds(true, () => 0.999999),
      4,
    );
    assert.equal(
      glareRetrySeconds(true, () => 0.5),
      3.05,
    );
  });

  it('waits 0–2 s after 491 when the peer generated the Call-ID', () => {
    assert.equal(
      glareRetrySeconds(false, () => 0),
      0,
    );
    assert.equal(
      glareRetrySeconds(false, () => 0.999999),
      2,
    );
    assert.equal(
      glareRetrySeconds(false, () => 0.25),
      0.5,
    );
  });

  it('stays inside the ranges in 10 ms steps for any random value', () => {
    for (let i = 0; i < 200; i++) {
      const own = glareRetrySeconds(true);
      const other = glareRetrySeconds(false);
      assert.ok(own >= 2.1 && own <= 4, String(own));
      assert.ok(other >= 0 && other <= 2, String(other));
      assert.ok(Math.abs(Math.round(own * 100) - own * 100) < 1e-9, `10 ms steps: ${own}`);
    }
  });

  it('retries a 491 after the glare wait, never after half the interval', () => {
    const r = refreshOutcome(
      491,
      undefined,
      ctx({ interval: 1800, ownsCallId: false, secondsToExpiry: 868 }),
      () => 0.5,
    );
    assert.deepEqual(r, { kind: 'retry', afterSeconds: 1, interval: 1800, minSe: 90 });
  });

  it('retries a 422 at once with the peer’s Min-SE as interval and Min-SE', () => {
    assert.deepEqual(refreshOutcome(422, 300, ctx()), {
      kind: 'retry',
      afterSeconds: 0,
      interval: 300,
      minSe: 300,
    });
  });

  it('ends the session on a second 422, a 422 without a larger Min-SE, or any other failure', () => {
    assert.deepEqual(refreshOutcome(422, 300, ctx({ retried422: true })), { kind: 'end' });
    assert.deepEqual(refreshOutcome(422, undefined, ctx()), { kind: 'end' });
    assert.deepEqual(refreshOutcome(422, 90, ctx()), { kind: 'end' });
    assert.deepEqual(refreshOutcome(481, undefined, ctx()), { kind: 'end' });
    assert.deepEqual(refreshOutcome(408, undefined, ctx()), { kind: 'end' });
  });

  it('counts any 2xx as the refresh', () => {
    assert.deepEqual(refreshOutcome(200, undefined, ctx()), { kind: 'refreshed' });
    assert.deepEqual(refreshOutcome(202, undefined, ctx()), { kind: 'refreshed' });
  });

  it('gives up after MAX_REFRESH_GLARES 491s in one interval', () => {
    assert.equal(MAX_REFRESH_GLARES, 3);
    for (let glares = 0; glares < MAX_REFRESH_GLARES - 1; glares++)
      assert.equal(refreshOutcome(491, undefined, ctx({ glares }), () => 0).kind, 'retry', `after ${glares}`);
    assert.deepEqual(refreshOutcome(491, undefined, ctx({ glares: MAX_REFRESH_GLARES - 1 })), {
      kind: 'give-up',
    });
    assert.deepEqual(refreshOutcome(491, undefined, ctx({ glares: 7 })), { kind: 'give-up' });
  });

  it('gives up on a 491 whose wait would reach the expiry point', () => {
    // 2.1 s wait (we own the Call-ID) with 2 s left; 0 s wait with 0.5 s left still retries.
    assert.deepEqual(
      refreshOutcome(491, undefined, ctx({ secondsToExpiry: 2 }), () => 0),
      {
        kind: 'give-up',
      },
    );
    assert.equal(
      refreshOutcome(491, undefined, ctx({ ownsCallId: false, secondsToExpiry: 0.5 }), () => 0).kind,
      'retry',
    );
  });

  it('re-sends a refused UPDATE refresh as re-INVITE; a 405 to a re-INVITE ends', () => {
    assert.deepEqual(refreshOutcome(405, undefined, ctx({ method: 'UPDATE' })), { kind: 'as-invite' });
    assert.deepEqual(refreshOutcome(501, undefined, ctx({ method: 'UPDATE' })), { kind: 'as-invite' });
    assert.deepEqual(refreshOutcome(405, undefined, ctx({ method: 'INVITE' })), { kind: 'end' });
    assert.deepEqual(refreshOutcome(481, undefined, ctx({ method: 'UPDATE' })), { kind: 'end' });
  });

  it('counts a 2xx to an UPDATE refresh as the refresh', () => {
    assert.deepEqual(refreshOutcome(200, undefined, ctx({ method: 'UPDATE' })), { kind: 'refreshed' });
  });
});
