/**
 * Forking (RFC 3261 §12.1.2, §13.2.2.4): two 180s with different To tags create two early
 * dialogs of one dialog set; a 200 from one confirms it and the other is terminated.
 */
import assert from 'node:assert/strict';
import { FakeClock } from '../../../../lib/util/clock';
import {
  DialogTable,
  dialogFromUacResponse,
  responseReceived,
  sameDialogSet,
  settleForks,
  transition,
  type Dialog,
} from '../../../../lib/sip/dialog';
import {
  ALICE_TAG,
  CALL_ID,
  INVITE_FROM_ALICE,
  dialogWith,
  replyAtAlice,
  request,
  response,
} from './fixtures';

const invite = request(INVITE_FROM_ALICE);
const ringingA = response(
  replyAtAlice({ status: '180 Ringing', toTag: 'fork-a', contact: '<sip:bob@192.0.2.4>' }),
);
const ringingB = response(
  replyAtAlice({
    status: '180 Ringing',
    toTag: 'fork-b',
    contact: '<sip:bob@192.0.2.5>',
    recordRoute: ['<sip:p1.example.com;lr>'],
  }),
);
const okA = response(
  replyAtAlice({
    status: '200 OK',
    toTag: 'fork-a',
    contact: '<sip:bob@192.0.2.44>',
    recordRoute: ['<sip:p2.example.com;lr>', '<sip:p1.example.com;lr>'],
  }),
);

describe('sip/dialog forking (§13.2.2.4)', () => {
  it('tracks two early dialogs of one INVITE, confirms one and terminates the other', () => {
    const table = new DialogTable({ capacity: 10, clock: new FakeClock() });
    for (const res of [ringingA, ringingB]) {
      if (table.forResponse(res) === undefined) table.add(dialogFromUacResponse(invite, res));
    }
    assert.equal(table.size, 2);
    assert.deepEqual(
      table
        .dialogSet(CALL_ID, ALICE_TAG)
        .map((d) => [d.id.remoteTag, d.state, d.remoteTarget])
        .sort(),
      [
        ['fork-a', 'early', 'sip:bob@192.0.2.4'],
        ['fork-b', 'early', 'sip:bob@192.0.2.5'],
      ],
    );

    const a = table.forResponse(okA);
    assert.ok(a);
    const step = transition(a, responseReceived(okA));
    assert.deepEqual(step.effects, [
      { kind: 'confirmed' },
      { kind: 'route-set-changed', routeSet: ['<sip:p1.example.com;lr>', '<sip:p2.example.com;lr>'] },
      { kind: 'remote-target-changed', remoteTarget: 'sip:bob@192.0.2.44' },
    ]);
    table.update(step.dialog);

    const losers = settleForks(table.dialogSet(CALL_ID, ALICE_TAG), step.dialog.id);
    assert.deepEqual(
      losers.map((s) => [s.dialog.id.remoteTag, s.dialog.state, s.effects]),
      [['fork-b', 'terminated', [{ kind: 'terminated', reason: 'other-fork-confirmed' }]]],
    );
    for (const s of losers) table.update(s.dialog);
    assert.deepEqual(
      table.dialogSet(CALL_ID, ALICE_TAG).map((d) => [d.id.remoteTag, d.state]),
      [['fork-a', 'confirmed']],
    );
    assert.equal(table.forResponse(ringingB), undefined, 'a late 2xx on fork-b makes a new dialog');
  });

  it('leaves other dialog sets, UAS dialogs and confirmed forks alone', () => {
    const winner = dialogWith({ state: 'confirmed', id: { callId: 'c', localTag: 'l', remoteTag: 'w' } });
    const early = (patch: Partial<Dialog>): Dialog =>
      dialogWith({ state: 'early', id: { callId: 'c', localTag: 'l', remoteTag: 'x' }, ...patch });
    const others: Dialog[] = [
      winner,
      early({ id: { callId: 'c', localTag: 'other', remoteTag: 'x' } }),
      early({ id: { callId: 'd', localTag: 'l', remoteTag: 'x' } }),
      early({ role: 'uas' }),
      early({ state: 'confirmed', id: { callId: 'c', localTag: 'l', remoteTag: 'y' } }),
    ];
    assert.deepEqual(settleForks(others, winner.id), []);
    const loser = early({});
    assert.equal(settleForks([...others, loser], winner.id).length, 1);
  });

  it('tells dialog sets apart by Call-ID and local tag', () => {
    assert.equal(
      sameDialogSet(
        { callId: 'c', localTag: 'l', remoteTag: 'a' },
        { callId: 'c', localTag: 'l', remoteTag: 'b' },
      ),
      true,
    );
    assert.equal(
      sameDialogSet(
        { callId: 'c', localTag: 'l', remoteTag: 'a' },
        { callId: 'c', localTag: 'm', remoteTag: 'a' },
      ),
      false,
    );
    assert.equal(
      sameDialogSet(
        { callId: 'c', localTag: 'l', remoteTag: 'a' },
        { callId: 'C', localTag: 'l', remoteTag: 'a' },
      ),
      false,
    );
  });
});
