/** A call record as the engine's dialogs (cli/wire-takeover.ts): ids, URIs, CSeqs, route sets. */
import assert from 'node:assert/strict';
import { legDialog, recordDialogs, sessionTimerOf } from '../../../lib/cli/wire-takeover';
import type { CallLeg, CallRecord } from '../../../lib/state/call-record';

const caller: CallLeg = {
  dialog: { callId: 'c@198.51.100.7', localTag: 'ours-a', remoteTag: 'theirs-a' },
  role: 'uas',
  routeSet: ['<sip:198.51.100.7;lr>'],
  remoteCseq: 1,
  remoteTarget: 'sip:carrier@198.51.100.7:5060',
  localUri: '<sip:+15550199@192.0.2.10>',
  remoteUri: '<sip:carrier@198.51.100.7>',
  localContact: 'sip:192.0.2.10:5060',
  peer: { transport: 'udp', address: '198.51.100.7', port: 5060 },
};
const callee: CallLeg = {
  dialog: { callId: 'b-leg', localTag: 'ours-b', remoteTag: 'theirs-b' },
  role: 'uac',
  routeSet: [],
  localCseq: 1,
  remoteTarget: 'sip:pbx@203.0.113.20:5060',
  localUri: '<sip:carrier@192.0.2.10>',
  remoteUri: '<sip:+15550199@203.0.113.20>',
  localContact: 'sip:192.0.2.10:5060',
};

describe('takeover: call record → engine dialogs', () => {
  it('names each dialog the way srf does: Call-ID and the From tag of the INVITE', () => {
    assert.equal(legDialog(caller)?.appDialogId, 'c@198.51.100.7;from-tag=theirs-a');
    assert.equal(legDialog(callee)?.appDialogId, 'b-leg;from-tag=ours-b');
  });

  it('keeps the §12 state: role, tags, URIs, CSeqs, target, route set, flow', () => {
    const d = legDialog(caller);
    assert.ok(d);
    assert.deepEqual(d.dialog.id, { callId: 'c@198.51.100.7', localTag: 'ours-a', remoteTag: 'theirs-a' });
    assert.equal(d.dialog.role, 'uas');
    assert.equal(d.dialog.state, 'confirmed');
    assert.equal(d.dialog.remoteSeq, 1);
    assert.equal(d.dialog.localSeq, undefined);
    assert.deepEqual(d.dialog.routeSet, ['<sip:198.51.100.7;lr>']);
    assert.equal(d.dialog.localContact, 'sip:192.0.2.10:5060');
    assert.deepEqual(d.peer, { transport: 'udp', address: '198.51.100.7', port: 5060 });
    assert.equal(legDialog(callee)?.dialog.localSeq, 1);
  });

  it('gives both legs or none (an older record without URIs cannot be carried on)', () => {
    const rec: CallRecord = {
      id: 'x',
      owner: 'a',
      state: 'answered',
      inbound: caller,
      outbound: callee,
      createdAt: 0,
    };
    assert.equal(recordDialogs(rec).length, 2);
    const { localUri: _dropped, ...old } = callee;
    assert.deepEqual(recordDialogs({ ...rec, outbound: old }), []);
    assert.deepEqual(recordDialogs({ ...rec, outbound: undefined }), []);
  });
});

describe('takeover: session timer per leg (RFC 4028 §7.2/§9)', () => {
  const table: [string | undefined, 'uac' | 'uas', unknown][] = [
    // the callee's 2xx to our INVITE (we are uac; refresher absent means uac, §7.2)
    ['1800;refresher=uac', 'uac', { interval: 1800, weRefresh: true }],
    ['1800;refresher=uas', 'uac', { interval: 1800, weRefresh: false }],
    ['900', 'uac', { interval: 900, weRefresh: true }],
    // the caller's INVITE (we are uas): only an explicit refresher is known here
    ['1800;refresher=uac', 'uas', { interval: 1800, weRefresh: false }],
    ['1800 ; Refresher = UAS', 'uas', { interval: 1800, weRefresh: true }],
    ['1800', 'uas', undefined],
    [undefined, 'uac', undefined],
    ['soon', 'uac', undefined],
    ['0;refresher=uac', 'uac', undefined],
  ];
  for (const [header, role, want] of table) {
    it(`${String(header)} as ${role} → ${JSON.stringify(want)}`, () => {
      const leg = header === undefined ? { ...callee, role } : { ...callee, role, sessionExpires: header };
      assert.deepEqual(sessionTimerOf(leg), want);
    });
  }

  it('goes into the engine dialog', () => {
    assert.deepEqual(legDialog({ ...callee, sessionExpires: '1800;refresher=uac' })?.sessionTimer, {
      interval: 1800,
      weRefresh: true,
    });
    assert.equal(legDialog(callee)?.sessionTimer, undefined);
  });

  it('carries whether the peer’s Allow listed UPDATE (unknown in records without it)', () => {
    const timed = { ...callee, sessionExpires: '1800;refresher=uac' };
    const allows = (peerAllow?: string) =>
      sessionTimerOf(peerAllow === undefined ? timed : { ...timed, peerAllow })?.peerAllowsUpdate;
    assert.equal(allows('INVITE, ACK, BYE, CANCEL, OPTIONS, UPDATE'), true);
    assert.equal(allows('INVITE,ACK,BYE'), false);
    assert.equal(allows(undefined), undefined);
    assert.equal('peerAllowsUpdate' in (sessionTimerOf(timed) ?? {}), false);
  });
});
