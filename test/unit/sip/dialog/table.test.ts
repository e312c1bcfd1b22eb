/** DialogTable: lookups for incoming requests and responses, cap, removal, idle expiry. */
import assert from 'node:assert/strict';
import { FakeClock } from '../../../../lib/util/clock';
import {
  DialogError,
  DialogTable,
  dialogFromUasResponse,
  dialogKey,
  incomingDialogId,
  transition,
  type Dialog,
} from '../../../../lib/sip/dialog';
import { ALICE_TAG, CALL_ID, INVITE_AT_BOB, dialogWith, replyFromBob, request, response } from './fixtures';

const code = (c: string, status?: number) => (e: unknown) =>
  e instanceof DialogError && e.code === c && e.sipStatus === status;
const idOf = (n: number): Dialog['id'] => ({ callId: `call-${n}`, localTag: 'l', remoteTag: 'r' });

/** A request Bob receives from Alice within the dialog: To tag = Bob's, From tag = Alice's. */
const byeAtBob = (toTag: string, fromTag = ALICE_TAG, callId = CALL_ID) =>
  request([
    'BYE sip:bob@192.0.2.4 SIP/2.0',
    'Via: SIP/2.0/UDP p2.example.com;branch=z9hG4bKbye',
    'Max-Forwards: 69',
    `From: "Alice" <sip:alice@atlanta.example.com>${fromTag === '' ? '' : `;tag=${fromTag}`}`,
    `To: <sip:bob@biloxi.example.com>;tag=${toTag}`,
    `Call-ID: ${callId}`,
    'CSeq: 314160 BYE',
    'Content-Length: 0',
  ]);

describe('sip/dialog table', () => {
  const bobDialog = (): Dialog =>
    dialogFromUasResponse(request(INVITE_AT_BOB), response(replyFromBob('200 OK', 'bob-tag')));

  it('finds the UAS dialog for an in-dialog request by To tag = local, From tag = remote', () => {
    const table = new DialogTable({ capacity: 4, clock: new FakeClock() });
    const d = bobDialog();
    table.add(d);
    assert.equal(table.forRequest(byeAtBob('bob-tag')), d);
    assert.equal(table.forRequest(byeAtBob('other')), undefined);
    assert.equal(table.forRequest(byeAtBob('bob-tag', 'other')), undefined);
    assert.equal(table.forRequest(byeAtBob('bob-tag', ALICE_TAG, 'other-call')), undefined);
    assert.equal(table.forRequest(byeAtBob('BOB-TAG')), undefined, 'tags compare byte for byte');
  });

  it('gives no dialog id to a request without To tag; a missing From tag is the empty remote tag', () => {
    assert.equal(incomingDialogId(request(INVITE_AT_BOB)), undefined);
    assert.deepEqual(incomingDialogId(byeAtBob('x', '')), { callId: CALL_ID, localTag: 'x', remoteTag: '' });
    assert.deepEqual(incomingDialogId(byeAtBob('x')), {
      callId: CALL_ID,
      localTag: 'x',
      remoteTag: ALICE_TAG,
    });
  });

  it('finds the UAC dialog for a response by From tag = local, To tag = remote', () => {
    const table = new DialogTable({ capacity: 4 });
    const uac = dialogWith({ id: { callId: CALL_ID, localTag: ALICE_TAG, remoteTag: 'bob-tag' } });
    table.add(uac);
    assert.equal(table.forResponse(response(replyFromBob('200 OK', 'bob-tag'))), uac);
    assert.equal(table.forResponse(response(replyFromBob('200 OK', 'new-fork'))), undefined);
    assert.equal(table.forResponse(response(replyFromBob('100 Trying', undefined))), undefined);
  });

  it('refuses duplicates and sheds load with 503 at capacity', () => {
    const table = new DialogTable({ capacity: 2 });
    table.add(dialogWith({ id: idOf(1) }));
    assert.throws(() => {
      table.add(dialogWith({ id: idOf(1) }));
    }, code('DIALOG_DUPLICATE'));
    table.add(dialogWith({ id: idOf(2) }));
    assert.throws(
      () => {
        table.add(dialogWith({ id: idOf(3) }));
      },
      code('DIALOG_TABLE_FULL', 503),
    );
    assert.equal(table.remove(idOf(1)), true);
    assert.equal(table.remove(idOf(1)), false);
    table.add(dialogWith({ id: idOf(3) }));
    assert.equal(table.size, 2);
    assert.throws(() => new DialogTable({ capacity: 0 }), code('DIALOG_BAD_CAPACITY'));
    assert.throws(() => new DialogTable({ capacity: 1.5 }), code('DIALOG_BAD_CAPACITY'));
  });

  it('stores new states, drops terminated dialogs and their dialog-set entry', () => {
    const table = new DialogTable({ capacity: 4 });
    const d = dialogWith({ state: 'early' });
    table.add(d);
    const confirmed = { ...d, state: 'confirmed' as const };
    table.update(confirmed);
    assert.equal(table.get(d.id), confirmed);
    table.update(transition(confirmed, { kind: 'request', direction: 'received', method: 'BYE' }).dialog);
    assert.equal(table.get(d.id), undefined);
    assert.equal(table.size, 0);
    assert.deepEqual(table.dialogSet(d.id.callId, d.id.localTag), []);
    assert.throws(() => {
      table.update(d);
    }, code('DIALOG_UNKNOWN'));
  });

  it('indexes only UAC dialogs by dialog set', () => {
    const table = new DialogTable({ capacity: 4 });
    table.add(dialogWith({ id: { callId: 'c', localTag: 'l', remoteTag: 'a' } }));
    table.add(dialogWith({ id: { callId: 'c', localTag: 'l', remoteTag: 'b' } }));
    table.add(dialogWith({ role: 'uas', id: { callId: 'c', localTag: 'l', remoteTag: 'c' } }));
    assert.deepEqual(
      table
        .dialogSet('c', 'l')
        .map((d) => d.id.remoteTag)
        .sort(),
      ['a', 'b'],
    );
    table.remove({ callId: 'c', localTag: 'l', remoteTag: 'a' });
    assert.deepEqual(
      table.dialogSet('c', 'l').map((d) => d.id.remoteTag),
      ['b'],
    );
  });

  it('reports idle dialogs on the injected clock; update and touch refresh them', () => {
    const clock = new FakeClock();
    const table = new DialogTable({ capacity: 4, clock });
    const [a, b, c] = [1, 2, 3].map((n) => dialogWith({ id: idOf(n) })) as [Dialog, Dialog, Dialog];
    table.add(a);
    table.add(b);
    table.add(c);
    clock.advance(1000);
    table.update({ ...b, localSeq: 99 });
    assert.equal(table.touch(c.id), true);
    assert.equal(table.touch(idOf(9)), false);
    assert.deepEqual(
      table.idleSince(1000).map((d) => dialogKey(d.id)),
      [dialogKey(a.id)],
    );
    assert.deepEqual(
      [...table.entries()].map((e) => [e.dialog.id.callId, e.touchedAt]),
      [
        ['call-1', 0],
        ['call-2', 1000],
        ['call-3', 1000],
      ],
    );
  });
});
