/** Contract: one call's admission on a trunk (rate, then slot) as one atomic step. */
import assert from 'node:assert/strict';
import type { StateStoreHarness } from './contract';

const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);
const LEASE = 60;

export function admissionContract(h: StateStoreHarness): void {
  describe('call admission (rate + slot in one step)', () => {
    it('admits without touching counters when the trunk has no limits', async () => {
      const s = await h.open();
      assert.deepEqual(await s.admitCall({ trunk: 't', callId: 'c1', leaseSeconds: LEASE }), {
        admitted: true,
        slot: false,
      });
      assert.equal(await s.callSlotsInUse('t'), 0);
      assert.deepEqual(await s.takeCps('t', 1), { granted: true, inUse: 1 });
    });

    it('takes a rate token and a slot, and refuses the call that finds the slots full', async () => {
      const s = await h.open();
      const admit = (callId: string) =>
        s.admitCall({ trunk: 't', callId, cps: 10, maxCalls: 2, leaseSeconds: LEASE });
      assert.deepEqual(await admit('c1'), { admitted: true, slot: true });
      assert.deepEqual(await admit('c2'), { admitted: true, slot: true });
      assert.deepEqual(await admit('c3'), { admitted: false, limit: 'calls', inUse: 2 });
      assert.equal(await s.callSlotsInUse('t'), 2);
      // the refused call kept its rate token: 3 taken of 10
      assert.deepEqual(await s.takeCps('t', 10), { granted: true, inUse: 4 });
      assert.equal(await s.releaseCallSlot('t', 'c1'), true);
      assert.deepEqual(await admit('c3'), { admitted: true, slot: true });
    });

    it('takes nothing from a call over the rate', async () => {
      const s = await h.open();
      const admit = (callId: string) =>
        s.admitCall({ trunk: 't', callId, cps: 2, maxCalls: 5, leaseSeconds: LEASE });
      assert.equal((await admit('c1')).admitted, true);
      assert.equal((await admit('c2')).admitted, true);
      assert.deepEqual(await admit('c3'), { admitted: false, limit: 'cps', inUse: 2 });
      assert.equal(await s.callSlotsInUse('t'), 2);
      assert.equal(await s.releaseCallSlot('t', 'c3'), false);
    });

    it('checks only the rate without maxCalls, only the slots without cps', async () => {
      const s = await h.open();
      assert.deepEqual(await s.admitCall({ trunk: 'r', callId: 'c1', cps: 1, leaseSeconds: LEASE }), {
        admitted: true,
        slot: false,
      });
      assert.equal(await s.callSlotsInUse('r'), 0);
      assert.equal(
        (await s.admitCall({ trunk: 'r', callId: 'c2', cps: 1, leaseSeconds: LEASE })).admitted,
        false,
      );
      for (const i of range(3))
        await s.admitCall({ trunk: 'm', callId: `c${i}`, maxCalls: 3, leaseSeconds: LEASE });
      assert.deepEqual(await s.admitCall({ trunk: 'm', callId: 'c9', maxCalls: 3, leaseSeconds: LEASE }), {
        admitted: false,
        limit: 'calls',
        inUse: 3,
      });
    });

    it('admits exactly the limits of a burst spread over two instances', async () => {
      const a = await h.open();
      const b = await h.peer(a);
      const results = await Promise.all(
        range(40).map((i) =>
          (i % 2 ? a : b).admitCall({
            trunk: 'burst',
            callId: `c${i}`,
            cps: 8,
            maxCalls: 5,
            leaseSeconds: LEASE,
          }),
        ),
      );
      assert.equal(results.filter((r) => r.admitted).length, 5);
      assert.equal(results.filter((r) => !r.admitted && r.limit === 'calls').length, 3);
      assert.equal(results.filter((r) => !r.admitted && r.limit === 'cps').length, 32);
      assert.equal(await b.callSlotsInUse('burst'), 5);
    });

    it('shares the slots with acquireCallSlot (lease renewal) and keeps a held slot', async () => {
      const s = await h.open();
      assert.equal(
        (await s.admitCall({ trunk: 't', callId: 'c1', maxCalls: 1, leaseSeconds: LEASE })).admitted,
        true,
      );
      assert.deepEqual(await s.acquireCallSlot('t', 'c1', 1, LEASE), { granted: true, inUse: 1 });
      assert.deepEqual(await s.acquireCallSlot('t', 'c2', 1, LEASE), { granted: false, inUse: 1 });
    });

    it('rejects limits that cannot be honoured with a typed error', async () => {
      const s = await h.open();
      const bad = { trunk: 't', callId: 'c', leaseSeconds: LEASE };
      await assert.rejects(s.admitCall({ ...bad, cps: 0 }), { code: 'STATE_INVALID_ARGUMENT' });
      await assert.rejects(s.admitCall({ ...bad, maxCalls: -1 }), { code: 'STATE_INVALID_ARGUMENT' });
      await assert.rejects(s.admitCall({ ...bad, maxCalls: 1, leaseSeconds: 0 }), {
        code: 'STATE_INVALID_ARGUMENT',
      });
    });
  });
}
