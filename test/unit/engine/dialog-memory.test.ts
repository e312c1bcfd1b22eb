/**
 * What an established dialog keeps in the engine (bench/engine-memory.ts): owned flat strings
 * that pin no message or frame (compact.ts), the dialog index keyed by strings the dialog holds
 * anyway (engine-state.ts: Call-ID, then tags; several dialogs may share a Call-ID), and our SDP
 * only while a session timer may re-send it (RFC 4028 §7.4 refresh re-INVITE).
 */
import assert from 'node:assert/strict';
import type { Dialog } from '../../../lib/sip/dialog';
import type { ControlConnection } from '../../../lib/engine/control/control-connection';
import { compactDialog, internString, ownString } from '../../../lib/engine/core/compact';
import type { EngineDialog } from '../../../lib/engine/core/engine-dialog';
import { EngineState } from '../../../lib/engine/core/engine-state';

const gc = (globalThis as { gc?: () => void }).gc;

/** Heap bytes per item kept by `make(parent)`, where each parent is a fresh string of ~`size` bytes. */
function heapPerItem(make: (parent: string, i: number) => unknown, n = 2000, size = 1000): number {
  if (!gc) throw new Error('needs --expose-gc');
  gc();
  const before = process.memoryUsage().heapUsed;
  const keep: unknown[] = [];
  for (let i = 0; i < n; i++) {
    const parent = `Call-ID: ${String(i).padStart(8, '0')}-abcdefghijklmnopqrstuvwxyz@198.51.100.7\r\n${'x'.repeat(size)}`;
    keep.push(make(parent, i));
  }
  gc();
  const per = (process.memoryUsage().heapUsed - before) / n;
  assert.equal(keep.length, n);
  return per;
}

const callIdOf = (parent: string): string => parent.slice(9, parent.indexOf('\r\n'));

function dialog(callId: string, localTag: string, remoteTag: string): Dialog {
  return {
    id: { callId, localTag, remoteTag },
    role: 'uas',
    state: 'confirmed',
    localSeq: undefined,
    remoteSeq: 1,
    inviteSeq: undefined,
    localUri: '<sip:service@192.0.2.10>',
    remoteUri: '"Alice" <sip:alice@198.51.100.7>',
    remoteTarget: 'sip:alice@198.51.100.7:5060;transport=udp',
    routeSet: [],
    localContact: 'sip:192.0.2.10:5060',
    secure: false,
    terminationReason: undefined,
  };
}

const owner = { isClosed: false } as unknown as ControlConnection;

function engineDialog(d: Dialog, appDialogId: string): EngineDialog {
  return {
    appDialogId,
    owner,
    dialog: d,
    flow: undefined as never,
    ackTxnId: undefined,
    pending2xx: undefined,
    lastAck: undefined,
    lastInviteFinal: undefined,
  };
}

describe('engine dialog memory', () => {
  before(function () {
    if (!gc) this.skip();
  });

  it('a plain slice pins its ~1 KB parent (the measurement sees it)', () => {
    assert.ok(heapPerItem((p) => callIdOf(p)) > 900);
  });

  it('ownString keeps no parent alive and is one flat string (no 32-byte slice of a copy)', () => {
    // 49 characters: a flat copy is ~72 bytes (+8 for the array slot), a slice of a copy ~105
    const per = heapPerItem((p) => ownString(callIdOf(p)), 20_000);
    assert.ok(per < 92, `${per.toFixed(0)} B per owned string`);
    assert.equal(ownString('x'.repeat(40).slice(3)), 'x'.repeat(37));
  });

  it('a dialog added to the state pins neither the message its fields nor its app id came from', () => {
    const state = new EngineState();
    const per = heapPerItem(
      (p, i) => {
        const callId = callIdOf(p);
        const tag = p.slice(9, 30);
        const d = dialog(callId, `ours${i}`, tag);
        state.addDialog(engineDialog(d, `${callId};from-tag=${tag}`));
        return undefined;
      },
      2000,
      4000,
    );
    // ~0.7-0.9 KB: the records and index entries; a pinned parent would add its 4 KB
    assert.ok(per < 2000, `${per.toFixed(0)} B per dialog`);
    assert.equal(state.dialogCount, 2000);
  });

  it('shares our Contact and the empty route set between dialogs', () => {
    const a = compactDialog(dialog('c1', 'a', 'b'));
    const b = compactDialog({
      ...dialog('c2', 'a', 'b'),
      localContact: ['sip:192.0.2.10', '5060'].join(':'),
    });
    assert.equal(a.routeSet, b.routeSet);
    assert.equal(a.localContact, 'sip:192.0.2.10:5060');
    assert.equal(internString('sip:192.0.2.10:5060'), a.localContact);
    const routed = compactDialog({ ...dialog('c3', 'a', 'b'), routeSet: ['<sip:p1.example;lr>'] });
    assert.deepEqual(routed.routeSet, ['<sip:p1.example;lr>']);
  });
});

describe('engine state: dialog index', () => {
  it('tells dialogs sharing a Call-ID apart by their tags (a call looped through us, forks)', () => {
    const state = new EngineState();
    const uac = engineDialog({ ...dialog('loop', 'a', 'b'), role: 'uac' }, 'loop;from-tag=a');
    const uas = engineDialog(dialog('loop', 'b', 'a'), 'loop;from-tag=a');
    const fork = engineDialog({ ...dialog('loop', 'a', 'c'), role: 'uac' }, 'loop;from-tag=a');
    state.addDialog(uac);
    state.addDialog(uas);
    state.addDialog(fork);
    assert.equal(state.dialogCount, 3);
    assert.equal(state.dialog({ callId: 'loop', localTag: 'a', remoteTag: 'b' }), uac);
    assert.equal(state.dialog({ callId: 'loop', localTag: 'b', remoteTag: 'a' }), uas);
    assert.equal(state.dialog({ callId: 'loop', localTag: 'a', remoteTag: 'c' }), fork);
    assert.equal(state.dialog({ callId: 'loop', localTag: 'a', remoteTag: 'x' }), undefined);
    assert.equal(state.dialog({ callId: 'other', localTag: 'a', remoteTag: 'b' }), undefined);
    assert.equal(state.dialogByAppId('loop;from-tag=a'), fork, 'the last added, until indexByApp');
    state.indexByApp(uac);
    assert.equal(state.dialogByAppId('loop;from-tag=a'), uac);
    assert.deepEqual(new Set(state.allDialogs()), new Set([uac, uas, fork]));

    state.removeDialog(fork);
    assert.equal(state.dialogCount, 2);
    assert.equal(state.dialog({ callId: 'loop', localTag: 'a', remoteTag: 'c' }), undefined);
    assert.equal(state.dialog({ callId: 'loop', localTag: 'b', remoteTag: 'a' }), uas);
    state.removeDialog(fork);
    assert.equal(state.dialogCount, 2, 'removing twice is harmless');
    state.removeDialog(uas);
    state.removeDialog(uac);
    assert.equal(state.dialogCount, 0);
    assert.deepEqual(state.allDialogs(), []);
    assert.equal(state.dialogByAppId('loop;from-tag=a'), undefined);
  });

  it('a dialog added again under the same id replaces the first one', () => {
    const state = new EngineState();
    const first = engineDialog(dialog('same', 'a', 'b'), 'same;from-tag=b');
    const second = engineDialog(dialog('same', 'a', 'b'), 'same;from-tag=b');
    state.addDialog(first);
    state.addDialog(second);
    assert.equal(state.dialogCount, 1);
    assert.equal(state.dialog({ callId: 'same', localTag: 'a', remoteTag: 'b' }), second);
    state.removeDialog(first);
    assert.equal(state.dialogCount, 1, 'the replaced one is no longer indexed');
    state.removeDialog(second);
    assert.equal(state.dialogCount, 0);
  });

  it('lists the dialogs of one app connection', () => {
    const state = new EngineState();
    const other = { isClosed: false } as unknown as ControlConnection;
    const mine = engineDialog(dialog('m', 'a', 'b'), 'm;from-tag=b');
    const theirs = { ...engineDialog(dialog('t', 'a', 'b'), 't;from-tag=b'), owner: other };
    state.addDialog(mine);
    state.addDialog(theirs);
    assert.deepEqual(state.dialogsOf(other), [theirs]);
  });
});
