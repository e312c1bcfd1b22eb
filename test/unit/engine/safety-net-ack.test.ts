/**
 * The safety net drops the kept ACK copy once its 2xx can no longer come again (64·T1): in its
 * sweep, and in a lighter pass every 16·T1 so that it lives at most 80·T1, not up to a sweep
 * interval (a minute) longer.
 */
import assert from 'node:assert/strict';
import { DialogSafetyNet } from '../../../lib/engine/core/dialog-safety-net';
import type { EngineDeps } from '../../../lib/engine/core/engine-deps';
import type { EngineDialog } from '../../../lib/engine/core/engine-dialog';
import { EngineState } from '../../../lib/engine/core/engine-state';
import { FakeClock } from '../../../lib/util/clock';
import { silentLog } from '../../../lib/util/logger';

function dialogWithAck(): EngineDialog {
  return {
    appDialogId: 'c;from-tag=a',
    owner: { isClosed: false },
    dialog: {
      id: { callId: 'c', localTag: 'a', remoteTag: 'b' },
      role: 'uac',
      state: 'confirmed',
      localSeq: 1,
      remoteSeq: undefined,
      inviteSeq: 1,
      localUri: '<sip:a@192.0.2.1>',
      remoteUri: '<sip:b@192.0.2.2>',
      remoteTarget: 'sip:b@192.0.2.2',
      routeSet: [],
      localContact: undefined,
      secure: false,
      terminationReason: undefined,
    },
    lastAck: {
      cseq: 1,
      wire: 'ACK',
      target: { transport: 'udp', address: '192.0.2.2', port: 5060 },
      at: 0,
    },
  } as unknown as EngineDialog;
}

describe('dialog safety net: kept ACK', () => {
  it('keeps the ACK for 64·T1 after it was sent, then drops it; the dialog stays', () => {
    let now = 0;
    const state = new EngineState();
    const d = dialogWithAck();
    state.addDialog(d);
    const deps = { state, clock: { now: () => now }, t1: 500, log: silentLog } as unknown as EngineDeps;
    const net = new DialogSafetyNet(deps, { sweepIntervalMs: 1000 });
    now = 31_000;
    net.sweep();
    assert.ok(d.lastAck, 'still inside 64·T1 (32 s)');
    now = 32_500;
    net.sweep();
    assert.equal(d.lastAck, undefined);
    assert.equal(state.dialogCount, 1);
  });

  it('drops it within 80·T1 while the engine runs, long before the next sweep', () => {
    const clock = new FakeClock();
    const state = new EngineState();
    const d = dialogWithAck();
    state.addDialog(d);
    const deps = { state, clock, t1: 500, log: silentLog } as unknown as EngineDeps;
    const net = new DialogSafetyNet(deps, { sweepIntervalMs: 3600_000 });
    net.start();
    clock.advance(31_000);
    assert.ok(d.lastAck, 'still inside 64·T1 (32 s)');
    clock.advance(9_000);
    assert.equal(d.lastAck, undefined, 'gone by 80·T1 (40 s)');
    assert.equal(state.dialogCount, 1);
    net.stop();
  });
});
