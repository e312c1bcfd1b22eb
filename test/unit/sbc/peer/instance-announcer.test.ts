import assert from 'node:assert/strict';
import { MemoryStateStore } from '../../../../lib/state/memory-store';
import { InstanceAnnouncer } from '../../../../lib/sbc/peer/instance-announcer';
import { FakeClock } from '../../../../lib/util/clock';
import { capturingLog } from '../../../support/capture-log';

/** sbc-a announcing its internal listener every 5 s to a memory store, on a fake clock and `wall`. */
async function announcing(wall: () => number) {
  const state = new MemoryStateStore({ now: wall });
  await state.connect();
  const clock = new FakeClock();
  const announcer = new InstanceAnnouncer({
    self: 'sbc-a',
    store: state,
    internal: { sipUri: 'sip:10.0.0.5:5070;transport=udp', address: '10.0.0.5' },
    heartbeatSeconds: 5,
    clock,
    wallNow: wall,
    log: capturingLog().log,
  });
  return { state, clock, announcer };
}

describe('instance announcer', () => {
  it('announces at start, renews every heartbeat with a three-heartbeat TTL, withdraws on stop', async () => {
    let wall = 1_000_000;
    const { state, clock, announcer } = await announcing(() => wall);
    await announcer.start();
    assert.equal((await state.getInstance('sbc-a'))?.heartbeatAt, 1_000_000);
    wall += 14_000;
    assert.ok(await state.getInstance('sbc-a'), 'alive within 3 heartbeats without renewal');
    wall -= 9_000;
    clock.advance(5000);
    await new Promise((r) => setImmediate(r));
    assert.equal((await state.getInstance('sbc-a'))?.heartbeatAt, 1_005_000, 'renewed');
    await announcer.stop();
    assert.equal(await state.getInstance('sbc-a'), undefined);
  });

  it('once draining, announces so at once and on every renewal', async () => {
    const wall = 1_000_000;
    const { state, clock, announcer } = await announcing(() => wall);
    await announcer.start();
    assert.equal((await state.getInstance('sbc-a'))?.draining, undefined, 'serving');
    await announcer.markDraining();
    assert.equal((await state.getInstance('sbc-a'))?.draining, true, 'announced at once');
    clock.advance(5000);
    await new Promise((r) => setImmediate(r));
    assert.equal((await state.getInstance('sbc-a'))?.draining, true, 'renewals keep it');
    await announcer.stop();
  });

  it('without an internal listener announces nothing and warns when peers share the store', async () => {
    const state = new MemoryStateStore();
    await state.connect();
    await state.announceInstance(
      { id: 'sbc-b', sipUri: 'sip:10.0.0.6:5070', address: '10.0.0.6', startedAt: 0, heartbeatAt: 0 },
      60,
    );
    const captured = capturingLog();
    const announcer = new InstanceAnnouncer({
      self: 'sbc-a',
      store: state,
      internal: undefined,
      heartbeatSeconds: 5,
      clock: new FakeClock(),
      log: captured.log,
    });
    await announcer.start();
    assert.deepEqual(
      (await state.listInstances()).map((i) => i.id),
      ['sbc-b'],
    );
    assert.ok(captured.lines.some((l) => l.level === 'warn' && /no internal listener/.test(l.msg)));
    await announcer.stop();
  });
});
