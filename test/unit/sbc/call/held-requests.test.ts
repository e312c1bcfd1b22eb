import assert from 'node:assert/strict';
import type Srf from 'drachtio-srf';
import { HoldingSrf } from '../../../../lib/sbc/engine-link';
import { releaseHeldRequests } from '../../../../lib/sbc/call/held-requests';

/** A stand-in for srf's Dialog: `handle` on the prototype, as srf has it. */
class FakeDialog {
  readonly handled: string[] = [];
  constructor(
    readonly id: string,
    readonly type: 'uas' | 'uac',
  ) {}
  handle(req: { method: string }): void {
    this.handled.push(req.method);
  }
}

const asDialog = (d: FakeDialog): Srf.Dialog => d as unknown as Srf.Dialog;
const deliver = (d: FakeDialog, method: string): void => {
  (d as unknown as { handle(req: { method: string }, res: object): void }).handle({ method }, {});
};
const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('requests of a new caller dialog wait for the call’s handlers (call/held-requests)', () => {
  it('holds every request but ACK of a new UAS dialog until released, then hands them over in order', async () => {
    const srf = new HoldingSrf();
    const uas = new FakeDialog('call-1;from-tag=a', 'uas');
    srf.addDialog(asDialog(uas));
    const registry = srf as unknown as { findDialogById(id: string): unknown };
    assert.equal(registry.findDialogById(uas.id), uas, 'still registered with srf');
    deliver(uas, 'ACK');
    deliver(uas, 'INVITE');
    deliver(uas, 'INFO');
    assert.deepEqual(uas.handled, ['ACK'], 'srf’s late-offer path waits for the ACK: never held');
    releaseHeldRequests(asDialog(uas));
    assert.deepEqual(uas.handled, ['ACK'], 'after the current turn, not inside the wiring');
    await nextTurn();
    assert.deepEqual(uas.handled, ['ACK', 'INVITE', 'INFO']);
    deliver(uas, 'BYE');
    assert.deepEqual(uas.handled, ['ACK', 'INVITE', 'INFO', 'BYE'], 'straight through once released');
    assert.equal(
      (uas as unknown as { handle: unknown }).handle,
      Object.getOwnPropertyDescriptor(FakeDialog.prototype, 'handle')?.value,
      'srf’s own handle again (assigned back, not deleted: a delete makes V8 keep the dialog as a slow dictionary)',
    );
  });

  it('leaves a UAC dialog alone (createB2BUA holds the callee leg itself until the caller’s ACK)', () => {
    const srf = new HoldingSrf();
    const uac = new FakeDialog('call-2;from-tag=b', 'uac');
    srf.addDialog(asDialog(uac));
    deliver(uac, 'INVITE');
    assert.deepEqual(uac.handled, ['INVITE']);
    releaseHeldRequests(asDialog(uac)); // a no-op
  });
});
