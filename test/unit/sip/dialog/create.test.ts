/** Dialog creation from real parsed messages: RFC 3261 §12.1.1 (UAS) and §12.1.2 (UAC). */
import assert from 'node:assert/strict';
import { DialogError, dialogFromUacResponse, dialogFromUasResponse } from '../../../../lib/sip/dialog';
import {
  ALICE_TAG,
  CALL_ID,
  INVITE_AT_BOB,
  INVITE_FROM_ALICE,
  replyAtAlice,
  replyFromBob,
  request,
  response,
} from './fixtures';

const P1 = '<sip:p1.example.com;lr;ftag=a73kszlfl>';
const P2 = '<sip:p2.example.com;lr>';

const dialogError = (code: string, sipStatus?: number) => (e: unknown) =>
  e instanceof DialogError && e.code === code && e.sipStatus === sipStatus;

describe('sip/dialog create: UAS (§12.1.1)', () => {
  it('takes route set in Record-Route order, target from the request Contact, remote seq from CSeq', () => {
    const d = dialogFromUasResponse(request(INVITE_AT_BOB), response(replyFromBob('180 Ringing', '314159')));
    assert.deepEqual(d, {
      id: { callId: CALL_ID, localTag: '314159', remoteTag: ALICE_TAG },
      role: 'uas',
      state: 'early',
      localSeq: undefined,
      remoteSeq: 314159,
      inviteSeq: undefined,
      localUri: '"Bob" <sip:bob@biloxi.example.com>',
      remoteUri: '"Alice" <sip:alice@atlanta.example.com>',
      remoteTarget: 'sip:alice@192.0.2.1:5060;transport=udp',
      routeSet: [P2, P1],
      localContact: 'sip:bob@192.0.2.4',
      secure: false,
      terminationReason: undefined,
    });
  });

  it('is confirmed when created by a 2xx', () => {
    const d = dialogFromUasResponse(request(INVITE_AT_BOB), response(replyFromBob('200 OK', '314159')));
    assert.equal(d.state, 'confirmed');
  });

  it('has no route set without Record-Route', () => {
    const lines = INVITE_AT_BOB.filter((l) => !l.startsWith('Record-Route'));
    const d = dialogFromUasResponse(request(lines), response(replyFromBob('200 OK', 'x')));
    assert.deepEqual(d.routeSet, []);
  });

  it('takes an empty remote tag from an RFC 2543 From without tag', () => {
    const lines = INVITE_AT_BOB.map((l) =>
      l.startsWith('From:') ? 'From: <sip:alice@atlanta.example.com>' : l,
    );
    const d = dialogFromUasResponse(request(lines), response(replyFromBob('200 OK', 'x')));
    assert.equal(d.id.remoteTag, '');
    assert.equal(d.remoteUri, '<sip:alice@atlanta.example.com>');
  });

  it('requires a Contact in the request (400) and a To tag in the response', () => {
    const noContact = request(INVITE_AT_BOB.filter((l) => !l.startsWith('Contact')));
    assert.throws(
      () => dialogFromUasResponse(noContact, response(replyFromBob('200 OK', 'x'))),
      dialogError('DIALOG_MISSING_CONTACT', 400),
    );
    assert.throws(
      () => dialogFromUasResponse(request(INVITE_AT_BOB), response(replyFromBob('180 Ringing', undefined))),
      dialogError('DIALOG_MISSING_TAG'),
    );
  });

  it('refuses 100 and final failure responses', () => {
    for (const status of ['100 Trying', '486 Busy Here', '302 Moved']) {
      assert.throws(
        () => dialogFromUasResponse(request(INVITE_AT_BOB), response(replyFromBob(status, 'x'))),
        dialogError('DIALOG_NOT_CREATING'),
        status,
      );
    }
  });

  it('sets the secure flag for a sips Request-URI over TLS only (§12.1.1)', () => {
    const sips = INVITE_AT_BOB.map((l, i) => (i === 0 ? 'INVITE sips:bob@192.0.2.4 SIP/2.0' : l));
    const res = response(replyFromBob('200 OK', 'x'));
    assert.equal(dialogFromUasResponse(request(sips), res).secure, true);
    assert.equal(dialogFromUasResponse(request(sips), res, { overTls: false }).secure, false);
    assert.equal(dialogFromUasResponse(request(INVITE_AT_BOB), res, { overTls: true }).secure, false);
  });
});

describe('sip/dialog create: UAC (§12.1.2)', () => {
  const ringing = replyAtAlice({
    status: '180 Ringing',
    toTag: '314159',
    contact: '"Bob" <sip:bob@192.0.2.4>;expires=60',
    recordRoute: [`${P2}, ${P1}`],
  });

  it('reverses Record-Route, targets the response Contact and keeps the request CSeq as local seq', () => {
    const d = dialogFromUacResponse(request(INVITE_FROM_ALICE), response(ringing));
    assert.deepEqual(d, {
      id: { callId: CALL_ID, localTag: ALICE_TAG, remoteTag: '314159' },
      role: 'uac',
      state: 'early',
      localSeq: 314159,
      remoteSeq: undefined,
      inviteSeq: 314159,
      localUri: '"Alice" <sip:alice@atlanta.example.com>',
      remoteUri: '"Bob" <sip:bob@biloxi.example.com>',
      remoteTarget: 'sip:bob@192.0.2.4',
      routeSet: [P1, P2],
      localContact: 'sip:alice@192.0.2.1:5060;transport=udp',
      secure: false,
      terminationReason: undefined,
    });
  });

  it('keeps Record-Route values given on separate lines in reverse order', () => {
    const res = replyAtAlice({ status: '200 OK', toTag: 't', contact: '<sip:b@h>', recordRoute: [P2, P1] });
    assert.deepEqual(dialogFromUacResponse(request(INVITE_FROM_ALICE), response(res)).routeSet, [P1, P2]);
  });

  it('accepts a 2xx without To tag (RFC 2543) but not a 1xx', () => {
    const ok = replyAtAlice({ status: '200 OK', contact: '<sip:b@h>' });
    const d = dialogFromUacResponse(request(INVITE_FROM_ALICE), response(ok));
    assert.equal(d.id.remoteTag, '');
    assert.equal(d.state, 'confirmed');
    const early = replyAtAlice({ status: '183 Session Progress', contact: '<sip:b@h>' });
    assert.throws(
      () => dialogFromUacResponse(request(INVITE_FROM_ALICE), response(early)),
      dialogError('DIALOG_MISSING_TAG'),
    );
  });

  it('requires a Contact in the response and a matching CSeq method', () => {
    const noContact = replyAtAlice({ status: '200 OK', toTag: 't' });
    assert.throws(
      () => dialogFromUacResponse(request(INVITE_FROM_ALICE), response(noContact)),
      dialogError('DIALOG_MISSING_CONTACT'),
    );
    const other = replyAtAlice({
      status: '200 OK',
      toTag: 't',
      contact: '<sip:b@h>',
      cseq: '314159 OPTIONS',
    });
    assert.throws(
      () => dialogFromUacResponse(request(INVITE_FROM_ALICE), response(other)),
      dialogError('DIALOG_NOT_CREATING'),
    );
  });

  it('survives a JSON round trip unchanged (state store)', () => {
    const d = dialogFromUacResponse(request(INVITE_FROM_ALICE), response(ringing));
    const back = JSON.parse(JSON.stringify(d)) as Record<string, unknown>;
    assert.deepEqual(
      {
        localSeq: undefined,
        remoteSeq: undefined,
        inviteSeq: undefined,
        terminationReason: undefined,
        ...back,
      },
      d,
    );
  });
});
