/**
 * Call-slot leases outlive long calls: a call renews its slot while it lasts, so a one-hour call
 * keeps it past the 300 s lease (and a second call stays refused at maxCalls 1); without the
 * renewal (or after stop) the lease runs out.
 */
import assert from 'node:assert/strict';
import { FakeClock } from '../../../../lib/util/clock';
import { silentLog } from '../../../../lib/util/logger';
import { MemoryStateStore } from '../../../../lib/state/memory-store';
import { CALL_SLOT_LEASE_SECONDS, stateCounters } from '../../../../lib/cli/wire-sbc';
import { renewSlotLeases, SLOT_RENEW_INTERVAL_MS } from '../../../../lib/sbc/call/slot-lease';
import type { SlotHold } from '../../../../lib/sbc/pipeline/context';
import { trunksOf } from '../helpers';

const flush = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

async function runFor(clock: FakeClock, seconds: number): Promise<void> {
  for (let t = 0; t < seconds; t += 10) {
    clock.advance(10_000);
    await flush();
  }
}

describe('call slot lease renewal', () => {
  const trunks = trunksOf(
    'trunks:\n  - { name: pbx, inbound: { sources: [ 192.0.2.0/24 ] }, limits: { maxCalls: 1 } }\n',
  );

  function setup(): { clock: FakeClock; store: MemoryStateStore; holds: SlotHold[] } {
    const clock = new FakeClock();
    clock.advance(1_000_000);
    const store = new MemoryStateStore({ now: () => clock.now() });
    return { clock, store, holds: [{ trunk: 'pbx', callId: 'call-1' }] };
  }

  it('renews well inside the lease', () => {
    assert.ok(SLOT_RENEW_INTERVAL_MS * 2 < CALL_SLOT_LEASE_SECONDS * 1000);
  });

  it('keeps the slot of a one-hour call and refuses a second call meanwhile', async () => {
    const { clock, store, holds } = setup();
    const counters = stateCounters(store);
    assert.equal(await counters.acquireCallSlot('pbx', 'call-1', 1), true);
    const lease = renewSlotLeases({ counters, holds, trunks, clock, log: silentLog });
    await runFor(clock, 3600);
    assert.equal(await store.callSlotsInUse('pbx'), 1, 'still held after an hour');
    assert.equal(await counters.acquireCallSlot('pbx', 'call-2', 1), false, 'the trunk is still full');
    lease.stop();
    await runFor(clock, CALL_SLOT_LEASE_SECONDS + 10);
    assert.equal(await store.callSlotsInUse('pbx'), 0, 'once renewal stops the lease runs out');
  });

  it('lets an unrenewed slot run out after the lease (the control case)', async () => {
    const { clock, store } = setup();
    const counters = stateCounters(store);
    assert.equal(await counters.acquireCallSlot('pbx', 'call-1', 1), true);
    await runFor(clock, CALL_SLOT_LEASE_SECONDS + 10);
    assert.equal(await store.callSlotsInUse('pbx'), 0);
  });

  it('renews only the holds still in the list (a released hold is not taken back)', async () => {
    const { clock, store, holds } = setup();
    const counters = stateCounters(store);
    await counters.acquireCallSlot('pbx', 'call-1', 1);
    const lease = renewSlotLeases({ counters, holds, trunks, clock, log: silentLog });
    holds.splice(0);
    await counters.releaseCallSlot('pbx', 'call-1');
    await runFor(clock, 600);
    assert.equal(await store.callSlotsInUse('pbx'), 0);
    lease.stop();
  });
});
