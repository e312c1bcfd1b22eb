/**
 * RFC 4028 §9 as a table (session-timer/uas-negotiation.ts): what the UAS puts into its 2xx for
 * each combination of "the UAC supports timer", the refresher the request named, and our default.
 */
import assert from 'node:assert/strict';
import {
  listsTimer,
  parseMinSe,
  uasDecision,
  type RefreshRequestView,
  type UasDecision,
  type UasTimerPolicy,
} from '../../../lib/engine/session-timer/uas-negotiation';
import type { Refresher } from '../../../lib/engine/session-timer/session-timer-state';

const view = (
  supportsTimer: boolean,
  seconds: number | undefined,
  refresher?: Refresher,
  minSe?: number,
): RefreshRequestView => ({
  supportsTimer,
  minSe,
  sessionExpires: seconds === undefined ? undefined : { seconds, refresher },
});

const policy = (defaultRefresher: UasTimerPolicy['defaultRefresher'], minSe = 90): UasTimerPolicy => ({
  minSe,
  defaultRefresher,
});

const timer = (seconds: number, refresher: Refresher, requireTimer: boolean): UasDecision => ({
  kind: 'timer',
  seconds,
  refresher,
  requireTimer,
});

describe('session timer: UAS negotiation (RFC 4028 §9)', () => {
  const rows: [string, RefreshRequestView, UasTimerPolicy, UasDecision][] = [
    // UAC does not support timer (a proxy put Session-Expires in): we refresh, no Require.
    ['N, none, default uac', view(false, 1800), policy('uac'), timer(1800, 'uas', false)],
    ['N, none, default none', view(false, 1800), policy('none'), { kind: 'no-timer' }],
    ['N, uac named, default none', view(false, 1800, 'uac'), policy('none'), timer(1800, 'uas', false)],
    ['N, uac named anyway', view(false, 1800, 'uac'), policy('uac'), timer(1800, 'uas', false)],
    ['N, uas', view(false, 1800, 'uas'), policy('uac'), timer(1800, 'uas', false)],
    // UAC supports timer: its refresher stands; none named → our default (none: no timer).
    ['Y, none, default uac', view(true, 1800), policy('uac'), timer(1800, 'uac', true)],
    ['Y, none, default uas', view(true, 1800), policy('uas'), timer(1800, 'uas', true)],
    ['Y, none, default none', view(true, 1800), policy('none'), { kind: 'no-timer' }],
    ['Y, uac', view(true, 1800, 'uac'), policy('uas'), timer(1800, 'uac', true)],
    ['Y, uas', view(true, 1800, 'uas'), policy('uac'), timer(1800, 'uas', true)],
    ['Y, uac, default none', view(true, 1800, 'uac'), policy('none'), timer(1800, 'uac', true)],
    // No Session-Expires: the UAC asked for no timer.
    ['Y, no Session-Expires', view(true, undefined), policy('uas'), { kind: 'no-timer' }],
    ['N, no Session-Expires', view(false, undefined), policy('uas'), { kind: 'no-timer' }],
    // Too small: 422 with our Min-SE when the UAC can retry (§6), raised when it cannot (errata 1687).
    ['Y, below our Min-SE', view(true, 100, 'uac'), policy('uac', 300), { kind: 'reject-422', minSe: 300 }],
    ['N, below our Min-SE', view(false, 100), policy('uac', 300), timer(300, 'uas', false)],
    ['Y, at our Min-SE', view(true, 300), policy('uac', 300), timer(300, 'uac', true)],
    // Never below the request's own Min-SE.
    ['N, request Min-SE above SE', view(false, 90, undefined, 120), policy('uac'), timer(120, 'uas', false)],
  ];
  for (const [name, req, pol, expected] of rows) {
    it(name, () => {
      assert.deepEqual(uasDecision(req, pol), expected);
    });
  }

  it('finds the timer option tag in Supported / Require lists', () => {
    assert.equal(listsTimer(['100rel, Timer']), true);
    assert.equal(listsTimer(['100rel', 'replaces']), false);
    assert.equal(listsTimer(['timers']), false);
    assert.equal(listsTimer([]), false);
  });

  it('reads Min-SE', () => {
    assert.equal(parseMinSe(' 120;x=1'), 120);
    assert.equal(parseMinSe(undefined), undefined);
    assert.equal(parseMinSe('abc'), undefined);
  });
});
