/** Remote CSeq rules for requests received within a dialog (RFC 3261 §12.2.2). */
import assert from 'node:assert/strict';
import { checkRemoteCSeq, checkRemoteSeq, DialogError } from '../../../../lib/sip/dialog';
import { BASE_DIALOG, CALL_ID, deepFreeze, dialogWith, request } from './fixtures';

const inDialog = (cseq: string): string[] => [
  `${cseq.split(' ')[1] ?? 'INFO'} sip:alice@192.0.2.1:5060 SIP/2.0`,
  'Via: SIP/2.0/UDP 192.0.2.4;branch=z9hG4bKb1',
  'Max-Forwards: 70',
  'From: <sip:bob@biloxi.example.com>;tag=314159',
  'To: <sip:alice@atlanta.example.com>;tag=a73kszlfl',
  `Call-ID: ${CALL_ID}`,
  `CSeq: ${cseq}`,
  'Content-Length: 0',
];

describe('sip/dialog remote CSeq (§12.2.2)', () => {
  it('sets an empty remote sequence number from the first request', () => {
    const d = deepFreeze(dialogWith({ remoteSeq: undefined }));
    const r = checkRemoteCSeq(d, request(inDialog('4711 INFO')));
    assert.deepEqual(r, { ok: true, value: { ...d, remoteSeq: 4711 } });
  });

  it('accepts a higher number, also with gaps, and records it', () => {
    const d = dialogWith({ remoteSeq: 20 });
    assert.deepEqual(checkRemoteCSeq(d, request(inDialog('21 BYE'))), {
      ok: true,
      value: { ...d, remoteSeq: 21 },
    });
    assert.deepEqual(checkRemoteSeq(d, 'UPDATE', 4_000_000_000), {
      ok: true,
      value: { ...d, remoteSeq: 4_000_000_000 },
    });
  });

  it('answers 500 to a lower or equal number and leaves the dialog alone', () => {
    const d = dialogWith({ remoteSeq: 20 });
    for (const seq of ['19 INFO', '20 BYE', '0 UPDATE']) {
      const r = checkRemoteCSeq(d, request(inDialog(seq)));
      assert.ok(!r.ok, seq);
      assert.ok(r.error instanceof DialogError);
      assert.equal(r.error.code, 'DIALOG_CSEQ_OUT_OF_ORDER');
      assert.equal(r.error.sipStatus, 500);
    }
  });

  it('neither checks nor counts ACK and CANCEL', () => {
    const d = dialogWith({ remoteSeq: 20 });
    for (const seq of ['20 ACK', '3 ACK', '20 CANCEL']) {
      const r = checkRemoteCSeq(d, request(inDialog(seq)));
      assert.ok(r.ok, seq);
      assert.equal(r.value, d, seq);
    }
    const empty = dialogWith({ remoteSeq: undefined });
    const r = checkRemoteSeq(empty, 'ACK', 9);
    assert.ok(r.ok);
    assert.equal(r.value.remoteSeq, undefined);
  });

  it('does not change the local sequence number', () => {
    const r = checkRemoteSeq(BASE_DIALOG, 'INFO', 99);
    assert.ok(r.ok);
    assert.equal(r.value.localSeq, BASE_DIALOG.localSeq);
  });
});
