/**
 * Target refresh with real messages (RFC 3261 §12.2.1.2, §12.2.2; RFC 3311): event builders,
 * CSeq check and transition together, as the engine runs them.
 */
import assert from 'node:assert/strict';
import {
  checkRemoteCSeq,
  dialogFromUasResponse,
  requestReceived,
  requestSent,
  responseReceived,
  responseSent,
  transition,
} from '../../../../lib/sip/dialog';
import { CALL_ID, INVITE_AT_BOB, replyAtAlice, replyFromBob, request, response } from './fixtures';

const fromAlice = (method: string, seq: number, contact?: string) =>
  request([
    `${method} sip:bob@192.0.2.4 SIP/2.0`,
    'Via: SIP/2.0/UDP p2.example.com;branch=z9hG4bKre',
    'Max-Forwards: 69',
    'From: "Alice" <sip:alice@atlanta.example.com>;tag=a73kszlfl',
    'To: <sip:bob@biloxi.example.com>;tag=bob-tag',
    `Call-ID: ${CALL_ID}`,
    `CSeq: ${seq} ${method}`,
    ...(contact === undefined ? [] : [`Contact: ${contact}`]),
    'Content-Length: 0',
  ]);

describe('sip/dialog target refresh', () => {
  const bob = dialogFromUasResponse(request(INVITE_AT_BOB), response(replyFromBob('200 OK', 'bob-tag')));

  it('UAS: an UPDATE with a new Contact moves the target when its 2xx is sent (RFC 3311)', () => {
    const update = fromAlice('UPDATE', 314160, '<sip:alice@198.51.100.1:5070>');
    const checked = checkRemoteCSeq(bob, update);
    assert.ok(checked.ok);
    assert.deepEqual(transition(checked.value, requestReceived(update)).effects, []);
    assert.deepEqual(responseSent(update, 200), {
      kind: 'response',
      direction: 'sent',
      status: 200,
      method: 'UPDATE',
      peerContact: 'sip:alice@198.51.100.1:5070',
    });
    const step = transition(checked.value, responseSent(update, 200));
    assert.equal(step.dialog.remoteTarget, 'sip:alice@198.51.100.1:5070');
    assert.equal(step.dialog.remoteSeq, 314160);
  });

  it('UAS: a rejected re-INVITE leaves the target alone', () => {
    const reinvite = fromAlice('INVITE', 314161, '<sip:alice@198.51.100.1:5070>');
    assert.deepEqual(transition(bob, responseSent(reinvite, 488)), { dialog: bob, effects: [] });
  });

  it('UAC: the 2xx to our re-INVITE replaces the target with its Contact', () => {
    const ok = response(
      replyAtAlice({
        status: '200 OK',
        toTag: 'bob-tag',
        contact: '<sip:bob@203.0.113.9>',
        cseq: '7 INVITE',
      }),
    );
    const ev = responseReceived(ok);
    assert.deepEqual(ev, {
      kind: 'response',
      direction: 'received',
      status: 200,
      method: 'INVITE',
      peerContact: 'sip:bob@203.0.113.9',
      recordRoute: [],
    });
    const step = transition({ ...bob, role: 'uac' }, ev);
    assert.equal(step.dialog.remoteTarget, 'sip:bob@203.0.113.9');
    assert.deepEqual(step.dialog.routeSet, bob.routeSet, 'a confirmed dialog keeps its route set');
  });

  it('BYE in either direction ends the dialog', () => {
    assert.equal(transition(bob, requestReceived(fromAlice('BYE', 314162))).dialog.state, 'terminated');
    assert.equal(transition(bob, requestSent('BYE')).dialog.terminationReason, 'bye');
  });
});
