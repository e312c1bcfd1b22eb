/** Contract: call records, their dialog and owner indexes, and their TTL. */
import assert from 'node:assert/strict';
import type { StateStoreHarness } from './contract';
import { sampleCall, sleep } from './contract-fixtures';

export function callContract(h: StateStoreHarness): void {
  describe('calls', () => {
    it('stores and returns a call record unchanged', async () => {
      const s = await h.open();
      const call = sampleCall('c1');
      await s.putCall(call, 60);
      assert.deepEqual(await s.getCall('c1'), call);
      assert.equal(await s.getCall('nope'), undefined);
    });

    it('finds a call by either leg’s Call-ID and local tag, and by nothing else', async () => {
      const s = await h.open();
      const call = sampleCall('c2');
      await s.putCall(call, 60);
      assert.equal((await s.findCallByDialog(call.inbound.dialog.callId, 'la-c2'))?.id, 'c2');
      assert.equal((await s.findCallByDialog('b-c2', 'lb-c2'))?.id, 'c2');
      assert.equal(await s.findCallByDialog('b-c2', 'la-c2'), undefined);
      assert.equal(await s.findCallByDialog('b-c2', 'rb-c2'), undefined);
    });

    it('re-indexes on update: a new outbound leg is findable, the replaced one is not', async () => {
      const s = await h.open();
      const first = sampleCall('c3');
      await s.putCall({ ...first, outbound: undefined, state: 'setup' }, 60);
      assert.equal(await s.findCallByDialog('b-c3', 'lb-c3'), undefined);
      await s.putCall(first, 60);
      assert.equal((await s.findCallByDialog('b-c3', 'lb-c3'))?.id, 'c3');
      const outbound = first.outbound;
      assert.ok(outbound);
      await s.putCall(
        { ...first, outbound: { ...outbound, dialog: { callId: 'b2-c3', localTag: 'x' } } },
        60,
      );
      assert.equal(await s.findCallByDialog('b-c3', 'lb-c3'), undefined);
      assert.equal((await s.findCallByDialog('b2-c3', 'x'))?.id, 'c3');
    });

    it('deletes a call with its indexes, once', async () => {
      const s = await h.open();
      await s.putCall(sampleCall('c4'), 60);
      assert.equal(await s.deleteCall('c4'), true);
      assert.equal(await s.deleteCall('c4'), false);
      assert.equal(await s.getCall('c4'), undefined);
      assert.equal(await s.findCallByDialog('b-c4', 'lb-c4'), undefined);
      assert.deepEqual(await s.listCallsByOwner('sbc-1'), []);
    });

    it('lists calls by owner and follows an ownership change (takeover)', async () => {
      const s = await h.open();
      await Promise.all(['c5', 'c6', 'c7'].map((id) => s.putCall(sampleCall(id), 60)));
      await s.putCall(sampleCall('c8', { owner: 'sbc-2' }), 60);
      const ids = async (owner: string): Promise<string[]> =>
        (await s.listCallsByOwner(owner)).map((c) => c.id).sort();
      assert.deepEqual(await ids('sbc-1'), ['c5', 'c6', 'c7']);
      await s.putCall(sampleCall('c6', { owner: 'sbc-2' }), 60);
      assert.deepEqual(await ids('sbc-1'), ['c5', 'c7']);
      assert.deepEqual(await ids('sbc-2'), ['c6', 'c8']);
      assert.deepEqual(await ids('sbc-9'), []);
    });

    it("lets exactly one survivor claim a dead owner's call, across instances", async () => {
      const s = await h.open();
      const other = await h.peer(s);
      await s.putCall(sampleCall('k1'), 60);
      const wins = await Promise.all([
        s.claimCall('k1', 'sbc-1', 'sbc-2', 60),
        other.claimCall('k1', 'sbc-1', 'sbc-3', 60),
        s.claimCall('k1', 'sbc-1', 'sbc-4', 60),
      ]);
      assert.deepEqual(wins.filter(Boolean).length, 1);
      // The winner dying in turn: its call can be claimed from it once more.
      assert.equal(await other.claimCall('k1', 'sbc-2', 'sbc-3', 60), true);
      assert.equal(await s.claimCall('k2', 'sbc-1', 'sbc-2', 60), true);
    });

    it('keeps the fields a survivor rebuilds the dialogs from', async () => {
      const s = await h.open();
      const full = sampleCall('k3', {
        calling: '+15550100',
        called: '+15550199',
        slots: [{ trunk: 't-in', callId: 'k3' }],
        inbound: {
          ...sampleCall('k3').inbound,
          role: 'uas',
          localUri: '<sip:+15550199@192.0.2.10>',
          remoteUri: '"A" <sip:+15550100@198.51.100.7>',
          localContact: 'sip:192.0.2.10:5060',
          peer: { transport: 'udp', address: '198.51.100.7', port: 5062 },
          localSdp: 'v=0\r\n',
          remoteSdp: 'v=0\r\n',
          mediaProfile: { kind: 'carrier', tag: 'la-k3' },
        },
      });
      await s.putCall(full, 60);
      assert.deepEqual(await s.getCall('k3'), full);
    });

    it('is visible to another instance', async () => {
      const s = await h.open();
      const other = await h.peer(s);
      await s.putCall(sampleCall('c9'), 60);
      assert.equal((await other.findCallByDialog('a-c9@198.51.100.7', 'la-c9'))?.owner, 'sbc-1');
    });

    it('expires a record and its indexes after the TTL unless written again', async () => {
      const s = await h.open();
      await s.putCall(sampleCall('t1'), 0.4);
      await s.putCall(sampleCall('t2'), 0.4);
      await sleep(250);
      await s.putCall(sampleCall('t2'), 0.4);
      await sleep(250);
      assert.equal(await s.getCall('t1'), undefined);
      assert.equal(await s.findCallByDialog('b-t1', 'lb-t1'), undefined);
      assert.equal((await s.getCall('t2'))?.id, 't2');
      assert.deepEqual(
        (await s.listCallsByOwner('sbc-1')).map((c) => c.id),
        ['t2'],
      );
      await sleep(300);
      assert.equal(await s.findCallByDialog('b-t2', 'lb-t2'), undefined);
      assert.deepEqual(await s.listCallsByOwner('sbc-1'), []);
    });

    it('rejects a TTL that cannot be honoured with a typed error', async () => {
      const s = await h.open();
      await assert.rejects(s.putCall(sampleCall('bad'), 0), {
        code: 'STATE_INVALID_ARGUMENT',
        sipStatus: 500,
      });
      await assert.rejects(s.putCall(sampleCall('bad'), Number.NaN), { code: 'STATE_INVALID_ARGUMENT' });
      assert.equal(await s.getCall('bad'), undefined);
    });
  });
}
