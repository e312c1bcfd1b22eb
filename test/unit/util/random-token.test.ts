import { strict as assert } from 'node:assert';
import { randomToken } from '../../../lib/util/random-token';

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
});
