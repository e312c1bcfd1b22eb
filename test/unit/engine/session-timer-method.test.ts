/**
 * Choosing the method of our session refreshes (session-timer/refresh-method.ts, RFC 4028 §7.4/§9)
 * and what the timer does when it fires (timer-action.ts): waiting for a pending INVITE/UPDATE of
 * the dialog (RFC 3261 §14.1, RFC 3311 §5.1), ending a session that expired.
 */
import assert from 'node:assert/strict';
import {
  allowsUpdate,
  refreshMethodFor,
  type RefreshMethod,
  type RefreshMethodSetting,
} from '../../../lib/engine/session-timer/refresh-method';
import { DEFER_SECONDS, timerAction, type TimerView } from '../../../lib/engine/session-timer/timer-action';

describe('session timer: refresh method', () => {
  const table: [RefreshMethodSetting, boolean | undefined, boolean | undefined, RefreshMethod][] = [
    ['invite', true, undefined, 'INVITE'],
    ['invite', undefined, undefined, 'INVITE'],
    ['update', undefined, undefined, 'UPDATE'],
    ['update', false, undefined, 'UPDATE'],
    ['update', true, true, 'INVITE'],
    ['auto', true, undefined, 'UPDATE'],
    ['auto', false, undefined, 'INVITE'],
    ['auto', undefined, undefined, 'INVITE'],
    ['auto', true, true, 'INVITE'],
  ];
  for (const [setting, allows, refused, expected] of table) {
    it(`${setting}, Allow lists UPDATE: ${String(allows)}, UPDATE refused: ${String(refused)} → ${expected}`, () => {
      assert.equal(refreshMethodFor(setting, allows, refused), expected);
    });
  }

  it('reads UPDATE from Allow header values (any case, any header line), nothing from no Allow', () => {
    assert.equal(allowsUpdate(['INVITE, ACK, BYE, CANCEL, OPTIONS, UPDATE']), true);
    assert.equal(allowsUpdate(['INVITE,ACK', ' update ']), true);
    assert.equal(allowsUpdate(['INVITE, ACK, BYE, UPDATES']), false);
    assert.equal(allowsUpdate(['INVITE, ACK, BYE']), false);
    assert.equal(allowsUpdate([]), undefined);
  });
});

describe('session timer: what a firing timer does', () => {
  const view = (over: Partial<TimerView> = {}): TimerView => ({
    weRefresh: true,
    gaveUp: false,
    offerPending: false,
    secondsToExpiry: 15,
    ...over,
  });

  it('refreshes when nothing is pending', () => {
    assert.deepEqual(timerAction(view()), { kind: 'refresh' });
  });

  it('waits while an INVITE/UPDATE of the dialog is pending, re-checking every DEFER_SECONDS', () => {
    assert.deepEqual(timerAction(view({ offerPending: true })), {
      kind: 'defer',
      afterSeconds: DEFER_SECONDS,
    });
    assert.deepEqual(timerAction(view({ offerPending: true, secondsToExpiry: 0.25 })), {
      kind: 'defer',
      afterSeconds: 0.25,
    });
  });

  it('ends the session when still pending at the expiry point', () => {
    assert.deepEqual(timerAction(view({ offerPending: true, secondsToExpiry: 0 })), { kind: 'expire' });
    assert.deepEqual(timerAction(view({ offerPending: true, secondsToExpiry: -3 })), { kind: 'expire' });
  });

  it('ends the session when the peer owed the refresh, or when we gave up refreshing', () => {
    assert.deepEqual(timerAction(view({ weRefresh: false })), { kind: 'expire' });
    assert.deepEqual(timerAction(view({ gaveUp: true })), { kind: 'expire' });
  });
});
