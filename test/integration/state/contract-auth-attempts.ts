/** Contract: digest authentication state — failure windows and nonce-count replay checks. */
import assert from 'node:assert/strict';
import type { StateStoreHarness } from './contract';
import { sleep } from './contract-fixtures';

export function authAttemptContract(h: StateStoreHarness): void {
  describe('auth attempts', () => {
    it('counts failures per key across instances within a window', async () => {
      const s = await h.open();
      const other = await h.peer(s);
      assert.equal(await s.authFailures('ip:192.0.2.80'), 0);
      assert.equal(await s.recordAuthFailure('ip:192.0.2.80', 60), 1);
      assert.equal(await other.recordAuthFailure('ip:192.0.2.80', 60), 2);
      assert.equal(await s.recordAuthFailure('user:alice', 60), 1);
      assert.equal(await other.authFailures('ip:192.0.2.80'), 2);
      assert.equal(await other.authFailures('user:alice'), 1);
    });

    it('starts a new window once the first failure is older than the window', async () => {
      const s = await h.open();
      await s.recordAuthFailure('ip:192.0.2.81', 0.3);
      await sleep(150);
      assert.equal(await s.recordAuthFailure('ip:192.0.2.81', 0.3), 2);
      await sleep(250); // the window started by the first failure has closed
      assert.equal(await s.authFailures('ip:192.0.2.81'), 0);
      assert.equal(await s.recordAuthFailure('ip:192.0.2.81', 0.3), 1);
    });

    it('accepts increasing nonce-counts once, on any instance, and refuses replays', async () => {
      const s = await h.open();
      const other = await h.peer(s);
      assert.equal(await s.advanceNonceCount('n1', 1, 60), true);
      assert.equal(await other.advanceNonceCount('n1', 1, 60), false);
      assert.equal(await other.advanceNonceCount('n1', 3, 60), true);
      assert.equal(await s.advanceNonceCount('n1', 2, 60), false);
      assert.equal(await s.advanceNonceCount('n2', 1, 60), true);
      const results = await Promise.all([4, 4, 4, 4].map(() => other.advanceNonceCount('n1', 4, 60)));
      assert.equal(results.filter(Boolean).length, 1);
    });

    it('forgets a nonce after its lifetime and rejects bad lengths with a typed error', async () => {
      const s = await h.open();
      assert.equal(await s.advanceNonceCount('n3', 5, 0.3), true);
      await sleep(450);
      assert.equal(await s.advanceNonceCount('n3', 1, 0.3), true);
      await assert.rejects(s.recordAuthFailure('k', 0), { code: 'STATE_INVALID_ARGUMENT' });
    });
  });
}
