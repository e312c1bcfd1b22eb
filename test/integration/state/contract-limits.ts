/** Contract: concurrent-call slots and CPS per trunk, atomic under concurrency and across instances. */
import assert from 'node:assert/strict';
import type { StateStoreHarness } from './contract';
import { sleep } from './contract-fixtures';

const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

export function limitContract(h: StateStoreHarness): void {
  describe('concurrent-call slots', () => {
    it('grants up to max, refuses beyond, frees on release', async () => {
      const s = await h.open();
      assert.deepEqual(await s.acquireCallSlot('t', 'c1', 2, 60), { granted: true, inUse: 1 });
      assert.deepEqual(await s.acquireCallSlot('t', 'c2', 2, 60), { granted: true, inUse: 2 });
      assert.deepEqual(await s.acquireCallSlot('t', 'c3', 2, 60), { granted: false, inUse: 2 });
      assert.deepEqual(await s.acquireCallSlot('other', 'c3', 2, 60), { granted: true, inUse: 1 });
      assert.equal(await s.releaseCallSlot('t', 'c1'), true);
      assert.equal(await s.releaseCallSlot('t', 'c1'), false);
      assert.equal(await s.callSlotsInUse('t'), 1);
      assert.deepEqual(await s.acquireCallSlot('t', 'c3', 2, 60), { granted: true, inUse: 2 });
    });

    it('renews the lease of a call that already holds a slot without counting it twice', async () => {
      const s = await h.open();
      await s.acquireCallSlot('t', 'c1', 1, 60);
      assert.deepEqual(await s.acquireCallSlot('t', 'c1', 1, 60), { granted: true, inUse: 1 });
      assert.equal(await s.callSlotsInUse('t'), 1);
    });

    it('grants exactly max of many parallel requests', async () => {
      const s = await h.open();
      const results = await Promise.all(range(60).map((i) => s.acquireCallSlot('busy', `c${i}`, 7, 60)));
      assert.equal(results.filter((r) => r.granted).length, 7);
      assert.equal(await s.callSlotsInUse('busy'), 7);
    });

    it('counts globally across instances sharing the backend', async () => {
      const a = await h.open();
      const b = await h.peer(a);
      const results = await Promise.all(
        range(40).map((i) => (i % 2 ? a : b).acquireCallSlot('shared', `c${i}`, 5, 60)),
      );
      assert.equal(results.filter((r) => r.granted).length, 5);
      const holder = results.findIndex((r) => r.granted);
      assert.equal((await b.acquireCallSlot('shared', 'late', 5, 60)).granted, false);
      assert.equal(await a.releaseCallSlot('shared', `c${holder}`), true);
      assert.equal((await b.acquireCallSlot('shared', 'late', 5, 60)).granted, true);
      assert.equal(await a.callSlotsInUse('shared'), 5);
    });

    it('lets the slots of a crashed instance age out after their lease', async () => {
      const s = await h.open();
      await s.acquireCallSlot('t', 'crashed', 1, 0.3);
      assert.equal((await s.acquireCallSlot('t', 'next', 1, 60)).granted, false);
      await sleep(450);
      assert.equal(await s.callSlotsInUse('t'), 0);
      assert.deepEqual(await s.acquireCallSlot('t', 'next', 1, 60), { granted: true, inUse: 1 });
    });

    it('rejects a non-positive max or lease with a typed error', async () => {
      const s = await h.open();
      await assert.rejects(s.acquireCallSlot('t', 'c', 0, 60), { code: 'STATE_INVALID_ARGUMENT' });
      await assert.rejects(s.acquireCallSlot('t', 'c', 1, -1), { code: 'STATE_INVALID_ARGUMENT' });
    });
  });

  describe('calls per second', () => {
    it('admits exactly `limit` of a burst and again once the second has passed', async () => {
      const s = await h.open();
      const burst = await Promise.all(range(25).map(() => s.takeCps('carrier', 6)));
      assert.equal(burst.filter((r) => r.granted).length, 6);
      assert.deepEqual(await s.takeCps('carrier', 6), { granted: false, inUse: 6 });
      assert.equal((await s.takeCps('elsewhere', 6)).granted, true);
      await sleep(1100);
      assert.deepEqual(await s.takeCps('carrier', 6), { granted: true, inUse: 1 });
    });

    it('is a sliding window: admissions leave it one second after they were made', async () => {
      const s = await h.open();
      await s.takeCps('slide', 2);
      await sleep(600);
      await s.takeCps('slide', 2);
      assert.equal((await s.takeCps('slide', 2)).granted, false);
      await sleep(500);
      assert.deepEqual(await s.takeCps('slide', 2), { granted: true, inUse: 2 });
    });

    it('counts globally across instances sharing the backend', async () => {
      const a = await h.open();
      const b = await h.peer(a);
      const burst = await Promise.all(range(30).map((i) => (i % 2 ? a : b).takeCps('shared', 4)));
      assert.equal(burst.filter((r) => r.granted).length, 4);
    });
  });
}
