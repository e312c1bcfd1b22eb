/**
 * Adopting a taken-over call's dialogs (core/dialog-recovery.ts): CSeq past the old owner's,
 * empty remote CSeq, the flow the request came on, and a session timer restarted — our refresh
 * within seconds (the last one's time is unknown), the peer's given a whole interval — and by
 * UPDATE when the record says the peer's Allow listed it.
 */
import assert from 'node:assert/strict';
import type { SipRequest } from '../../../lib/sip';
import type { Dialog } from '../../../lib/sip/dialog';
import type { ServerTransaction } from '../../../lib/sip/stack';
import {
  CSEQ_TAKEOVER_STEP,
  recoverDialogs,
  type RecoveredDialog,
} from '../../../lib/engine/core/dialog-recovery';
import type { EngineDeps } from '../../../lib/engine/core/engine-deps';
import { EngineState } from '../../../lib/engine/core/engine-state';
import { FakeClock } from '../../../lib/util/clock';
import { silentLog } from '../../../lib/util/logger';

function dialog(callId: string, localTag: string, role: 'uac' | 'uas', localSeq?: number): Dialog {
  return {
    id: { callId, localTag, remoteTag: `${localTag}-peer` },
    role,
    state: 'confirmed',
    localSeq,
    remoteSeq: 7,
    inviteSeq: 1,
    localUri: '<sip:palisade@192.0.2.10>',
    remoteUri: '<sip:peer@198.51.100.7>',
    remoteTarget: 'sip:peer@198.51.100.7:5060',
    routeSet: [],
    localContact: 'sip:192.0.2.10:5060',
    secure: false,
    terminationReason: undefined,
  };
}

describe('engine: adopting a taken-over call', () => {
  const arrival = {
    transport: 'udp',
    localAddress: '192.0.2.10',
    localPort: 5060,
    remoteAddress: '198.51.100.7',
    remotePort: 5060,
    connectionId: undefined,
    listenerId: 'udp-vip',
  };
  const txn = { method: 'BYE', flow: arrival } as unknown as ServerTransaction;

  async function adopt(
    dialogs: RecoveredDialog[],
  ): Promise<{ state: EngineState; clock: FakeClock; found: boolean }> {
    const state = new EngineState();
    const clock = new FakeClock();
    const app = { isClosed: false };
    const deps = {
      state,
      clock,
      log: silentLog,
      apps: { pick: (verb: string) => (verb === 'invite' ? app : undefined) },
      recovery: { recover: () => Promise.resolve(dialogs) },
    } as unknown as EngineDeps & { recovery: NonNullable<EngineDeps['recovery']> };
    const found = await new Promise<boolean>((resolve) => {
      recoverDialogs(deps, txn, 'c1', 'a', resolve);
    });
    return { state, clock, found };
  }

  it('adopts every dialog of the call with a higher CSeq and an empty remote CSeq', async () => {
    const { state, found } = await adopt([
      { appDialogId: 'c1;from-tag=a-peer', dialog: dialog('c1', 'a', 'uas'), peer: undefined },
      {
        appDialogId: 'c2;from-tag=b',
        dialog: dialog('c2', 'b', 'uac', 3),
        peer: { transport: 'udp', address: '203.0.113.20', port: 5080 },
      },
    ]);
    assert.equal(found, true);
    const caller = state.dialogByAppId('c1;from-tag=a-peer');
    const callee = state.dialogByAppId('c2;from-tag=b');
    assert.ok(caller && callee);
    assert.equal(caller.dialog.localSeq, CSEQ_TAKEOVER_STEP);
    assert.equal(callee.dialog.localSeq, 3 + CSEQ_TAKEOVER_STEP);
    assert.equal(callee.dialog.remoteSeq, undefined);
    assert.equal(caller.flow.listenerId, 'udp-vip');
    assert.deepEqual([callee.flow.remoteAddress, callee.flow.remotePort], ['203.0.113.20', 5080]);
  });

  it('restarts session timers: ours refreshes within seconds, the peer’s gets a whole interval', async () => {
    const { state } = await adopt([
      {
        appDialogId: 'c1;from-tag=a-peer',
        dialog: dialog('c1', 'a', 'uas'),
        peer: undefined,
        sessionTimer: { interval: 1800, weRefresh: false },
      },
      {
        appDialogId: 'c2;from-tag=b',
        dialog: dialog('c2', 'b', 'uac', 1),
        peer: undefined,
        sessionTimer: { interval: 1800, weRefresh: true },
      },
    ]);
    assert.deepEqual(
      [
        state.dialogByAppId('c2;from-tag=b')?.sessionTimer?.weRefresh,
        state.dialogByAppId('c1;from-tag=a-peer')?.sessionTimer?.weRefresh,
      ],
      [true, false],
    );
    assert.ok(state.dialogByAppId('c2;from-tag=b')?.sessionTimer?.timer);
  });

  /** A taken-over dialog where we refresh, on a fake stack: the method of the first refresh. */
  async function firstRefresh(peerAllowsUpdate: boolean | undefined): Promise<string | undefined> {
    const state = new EngineState();
    state.sessionTimer.refreshMethod = 'auto';
    const clock = new FakeClock();
    const sent: SipRequest[] = [];
    const stack = {
      request: (request: SipRequest) => {
        sent.push(request);
        return { request };
      },
    };
    const deps = {
      state,
      clock,
      stack,
      log: silentLog,
      apps: { pick: () => ({ isClosed: false }) },
      recovery: {
        recover: () =>
          Promise.resolve([
            {
              appDialogId: 'c2;from-tag=b',
              dialog: dialog('c2', 'b', 'uac', 1),
              peer: undefined,
              sessionTimer: { interval: 1800, weRefresh: true, peerAllowsUpdate },
            },
          ]),
      },
    } as unknown as EngineDeps & { recovery: NonNullable<EngineDeps['recovery']> };
    await new Promise<boolean>((resolve) => {
      recoverDialogs(deps, txn, 'c2', 'b', resolve);
    });
    assert.equal(state.dialogByAppId('c2;from-tag=b')?.sessionTimer?.peerAllowsUpdate, peerAllowsUpdate);
    clock.advance(5000); // the takeover refresh comes within 2–5 s
    await new Promise((resolve) => setImmediate(resolve));
    return sent[0]?.method;
  }

  it('keeps refreshing by UPDATE when the old owner knew the peer allows it (refreshMethod auto)', async () => {
    assert.equal(await firstRefresh(true), 'UPDATE');
    assert.equal(await firstRefresh(false), 'INVITE');
    assert.equal(await firstRefresh(undefined), 'INVITE', 'an older record: re-INVITE until Allow is seen');
  });

  it('finds nothing when the port has nothing to adopt', async () => {
    const { state, found } = await adopt([]);
    assert.equal(found, false);
    assert.equal(state.dialogCount, 0);
  });
});
