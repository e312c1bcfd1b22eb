/** Contract: address bans with reason and expiry. */
import assert from 'node:assert/strict';
import type { StateStoreHarness } from './contract';
import { sleep } from './contract-fixtures';

export function banContract(h: StateStoreHarness): void {
  describe('bans', () => {
    it('bans, lists soonest-to-lift first, and unbans', async () => {
      const s = await h.open();
      const other = await h.peer(s);
      const before = Date.now();
      await s.ban('192.0.2.66', 600, 'auth failures');
      await s.ban('2001:db8::1', 60, 'scanner');
      assert.equal(await other.isBanned('192.0.2.66'), true);
      assert.equal(await other.isBanned('192.0.2.67'), false);
      const list = await other.listBans();
      assert.deepEqual(
        list.map((b) => [b.address, b.reason]),
        [
          ['2001:db8::1', 'scanner'],
          ['192.0.2.66', 'auth failures'],
        ],
      );
      const until = list[1]?.until ?? 0;
      assert.ok(until >= before + 600_000 && until <= Date.now() + 600_000, `until ${until}`);
      assert.equal(await other.unban('192.0.2.66'), true);
      assert.equal(await s.unban('192.0.2.66'), false);
      assert.equal(await s.isBanned('192.0.2.66'), false);
      assert.deepEqual(
        (await s.listBans()).map((b) => b.address),
        ['2001:db8::1'],
      );
    });

    it('replaces reason and length when banned again', async () => {
      const s = await h.open();
      await s.ban('192.0.2.70', 600, 'first');
      await s.ban('192.0.2.70', 0.3, 'second');
      assert.deepEqual(
        (await s.listBans()).map((b) => b.reason),
        ['second'],
      );
      await sleep(450);
      assert.equal(await s.isBanned('192.0.2.70'), false);
    });

    it('lifts a ban when it expires', async () => {
      const s = await h.open();
      await s.ban('192.0.2.71', 0.3, 'short');
      await s.ban('192.0.2.72', 60, 'long');
      assert.equal(await s.isBanned('192.0.2.71'), true);
      await sleep(450);
      assert.equal(await s.isBanned('192.0.2.71'), false);
      assert.deepEqual(
        (await s.listBans()).map((b) => b.address),
        ['192.0.2.72'],
      );
    });

    it('rejects a non-positive length with a typed error', async () => {
      const s = await h.open();
      await assert.rejects(s.ban('192.0.2.73', 0, 'x'), { code: 'STATE_INVALID_ARGUMENT' });
    });
  });
}
