import { strict as assert } from 'node:assert';
import { randomToken, randomUuid } from '../../../lib/util/random-token';

describe('util/random-token', () => {
  it('gives base64url tokens of the asked byte length, all distinct, across pool refills', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 2000; i++) {
      const t = randomToken(12); // 2000 × 12 bytes: several 4 KiB refills
      assert.match(t, /^[A-Za-z0-9_-]{16}$/);
      seen.add(t);
    }
    assert.equal(seen.size, 2000);
    assert.equal(Buffer.from(randomToken(6), 'base64url').length, 6);
  });

  it('gives version 4 UUIDs, all distinct, interleaved with tokens across pool refills', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 2000; i++) {
      randomToken(7); // unaligned pool offsets
      const id = randomUuid();
      assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      seen.add(id);
    }
    assert.equal(seen.size, 2000);
  });
});
