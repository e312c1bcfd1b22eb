/** Contract: instance announcements (issue 8 point 3) shared between instances, with heartbeat expiry. */
import assert from 'node:assert/strict';
import type { InstanceRecord } from '../../../lib/state/instances';
import type { StateStoreHarness } from './contract';
import { sleep } from './contract-fixtures';

function instance(id: string, address: string, heartbeatAt = 1_700_000_000_000): InstanceRecord {
  return {
    id,
    sipUri: `sip:${address}:5070;transport=udp`,
    address,
    startedAt: 1_700_000_000_000,
    heartbeatAt,
  };
}

export function instanceContract(h: StateStoreHarness): void {
  describe('instances', () => {
    it('sees what another instance announced, lists by id, and withdraws', async () => {
      const s = await h.open();
      const other = await h.peer(s);
      await s.announceInstance(instance('sbc-b', '10.0.0.6'), 30);
      await other.announceInstance(instance('sbc-a', '10.0.0.5'), 30);
      assert.deepEqual(await other.getInstance('sbc-b'), instance('sbc-b', '10.0.0.6'));
      assert.equal(await other.getInstance('sbc-c'), undefined);
      assert.deepEqual(
        (await s.listInstances()).map((i) => [i.id, i.address]),
        [
          ['sbc-a', '10.0.0.5'],
          ['sbc-b', '10.0.0.6'],
        ],
      );
      assert.equal(await other.withdrawInstance('sbc-b'), true);
      assert.equal(await s.withdrawInstance('sbc-b'), false);
      assert.equal(await s.getInstance('sbc-b'), undefined);
      assert.deepEqual(
        (await s.listInstances()).map((i) => i.id),
        ['sbc-a'],
      );
    });

    it('a draining announcement says so to every instance (ADR 0006)', async () => {
      const s = await h.open();
      const other = await h.peer(s);
      await s.announceInstance(instance('sbc-d', '10.0.0.12'), 30);
      assert.equal((await other.getInstance('sbc-d'))?.draining, undefined, 'serving');
      await s.announceInstance({ ...instance('sbc-d', '10.0.0.12'), draining: true }, 30);
      assert.equal((await other.getInstance('sbc-d'))?.draining, true);
      assert.equal((await other.listInstances()).find((i) => i.id === 'sbc-d')?.draining, true);
    });

    it('a heartbeat replaces the entry and restarts its time to live', async () => {
      const s = await h.open();
      await s.announceInstance(instance('sbc-r', '10.0.0.7', 1000), 0.4);
      await sleep(250);
      await s.announceInstance(instance('sbc-r', '10.0.0.8', 2000), 0.4);
      await sleep(250);
      const live = await s.getInstance('sbc-r');
      assert.equal(live?.address, '10.0.0.8', 'renewed before it ran out');
      assert.equal(live.heartbeatAt, 2000);
      assert.equal((await s.listInstances()).length, 1);
    });

    it('an instance that stops its heartbeat is gone after its time to live', async () => {
      const s = await h.open();
      await s.announceInstance(instance('sbc-dead', '10.0.0.9'), 0.3);
      await s.announceInstance(instance('sbc-live', '10.0.0.10'), 60);
      await sleep(450);
      assert.equal(await s.getInstance('sbc-dead'), undefined);
      assert.deepEqual(
        (await s.listInstances()).map((i) => i.id),
        ['sbc-live'],
      );
    });

    it('rejects a non-positive time to live with a typed error', async () => {
      const s = await h.open();
      await assert.rejects(s.announceInstance(instance('sbc-x', '10.0.0.11'), 0), {
        code: 'STATE_INVALID_ARGUMENT',
      });
    });
  });
}
