/** Contract: registrations (bindings per AOR), identity, preference order and expiry. */
import assert from 'node:assert/strict';
import type { StateStoreHarness } from './contract';
import { sampleBinding, sleep } from './contract-fixtures';

export function bindingContract(h: StateStoreHarness): void {
  describe('bindings', () => {
    it('stores bindings per AOR, highest q first, unchanged', async () => {
      const s = await h.open();
      const low = sampleBinding('sip:alice@example.com', 'sip:alice@192.0.2.44:5060', { q: 0.5 });
      const high = sampleBinding('sip:alice@example.com', 'sip:alice@192.0.2.45:5060', { q: 0.9 });
      await s.putBinding(low);
      await s.putBinding(high);
      await s.putBinding(sampleBinding('sip:bob@example.com', 'sip:bob@192.0.2.9'));
      assert.deepEqual(await s.getBindings('sip:alice@example.com'), [high, low]);
      assert.equal((await s.getBindings('sip:bob@example.com')).length, 1);
      assert.deepEqual(await s.getBindings('sip:carol@example.com'), []);
    });

    it('replaces a binding with the same contact, or the same instance and reg-id (RFC 5626)', async () => {
      const s = await h.open();
      const aor = 'sip:dave@example.com';
      await s.putBinding(sampleBinding(aor, 'sip:dave@192.0.2.1'));
      await s.putBinding(sampleBinding(aor, 'sip:dave@192.0.2.1', { userAgent: 'Phone/2.0' }));
      const inst = { instanceId: '<urn:uuid:00000000-0000-1000-8000-000A95A0E128>', regId: 1 };
      await s.putBinding(sampleBinding(aor, 'sip:dave@10.0.0.1:5060', inst));
      await s.putBinding(sampleBinding(aor, 'sip:dave@10.0.0.1:6000', inst));
      await s.putBinding(sampleBinding(aor, 'sip:dave@10.0.0.1:6000', { ...inst, regId: 2 }));
      const got = await s.getBindings(aor);
      assert.deepEqual(got.map((b) => b.contact).sort(), [
        'sip:dave@10.0.0.1:6000',
        'sip:dave@10.0.0.1:6000',
        'sip:dave@192.0.2.1',
      ]);
      assert.equal(got.find((b) => b.instanceId === undefined)?.userAgent, 'Phone/2.0');
    });

    it('removes a binding once; another instance sees it gone', async () => {
      const s = await h.open();
      const other = await h.peer(s);
      const b = sampleBinding('sip:erin@example.com', 'sip:erin@192.0.2.2');
      await s.putBinding(b);
      assert.equal((await other.getBindings(b.aor)).length, 1);
      assert.equal(await other.removeBinding(b.aor, b), true);
      assert.equal(await s.removeBinding(b.aor, b), false);
      assert.deepEqual(await s.getBindings(b.aor), []);
    });

    it('hides expired bindings and sweeps each exactly once', async () => {
      const s = await h.open();
      const other = await h.peer(s);
      const aor = 'sip:frank@example.com';
      const short = sampleBinding(aor, 'sip:frank@192.0.2.3', { expiresAt: Date.now() + 300 });
      const long = sampleBinding(aor, 'sip:frank@192.0.2.4', { expiresAt: Date.now() + 60_000 });
      const gone = sampleBinding('sip:gina@example.com', 'sip:gina@192.0.2.5', {
        expiresAt: Date.now() + 300,
      });
      await Promise.all([s.putBinding(short), s.putBinding(long), s.putBinding(gone)]);
      assert.deepEqual(await s.expireBindings(), []);
      await sleep(450);
      assert.deepEqual(await s.getBindings(aor), [long]);
      assert.deepEqual(await s.getBindings(gone.aor), []);
      const [a, b] = await Promise.all([s.expireBindings(), other.expireBindings()]);
      const swept = [...a, ...b].map((x) => x.contact).sort();
      assert.deepEqual(swept, [gone.contact, short.contact].sort());
      assert.deepEqual(await s.expireBindings(), []);
      assert.deepEqual(await s.getBindings(aor), [long]);
    });

    it('keeps a refreshed binding that was due', async () => {
      const s = await h.open();
      const b = sampleBinding('sip:hal@example.com', 'sip:hal@192.0.2.6', { expiresAt: Date.now() + 200 });
      await s.putBinding(b);
      await sleep(300);
      const refreshed = { ...b, expiresAt: Date.now() + 60_000 };
      await s.putBinding(refreshed);
      assert.deepEqual(await s.expireBindings(), []);
      assert.deepEqual(await s.getBindings(b.aor), [refreshed]);
    });
  });
}
