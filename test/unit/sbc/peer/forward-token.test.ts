import assert from 'node:assert/strict';
import { signToken } from '../../../../lib/sbc/nat/signed-token';
import { signForward, verifyForward, type ForwardClaims } from '../../../../lib/sbc/peer/forward-token';

const claims: ForwardClaims = {
  from: 'sbc-a',
  to: 'sbc-b',
  aor: 'sip:alice@example.com',
  binding: 'i:<urn:uuid:00000000-0000-0000-0000-000000000001>:1',
  expires: 1000,
};

describe('forward token (X-Palisade-Forwarded)', () => {
  it('verifies for its target instance before it expires, and returns the claims', () => {
    const token = signForward('k', claims);
    assert.match(token, /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{22}$/, 'SIP token characters only');
    assert.deepEqual(verifyForward('k', token, 'sbc-b', 1000), { ok: true, claims });
    assert.deepEqual(verifyForward(['old', 'k'], token, 'sbc-b', 999), { ok: true, claims });
  });

  const refusals: [string, (t: string) => string, string, number, string, string][] = [
    ['another secret', (t) => t, 'sbc-b', 1000, 'other', 'signature does not verify'],
    ['another instance', (t) => t, 'sbc-c', 1000, 'k', 'token is for instance sbc-b'],
    ['expired', (t) => t, 'sbc-b', 1001, 'k', 'token expired'],
    ['no dot', (t) => t.replace('.', ''), 'sbc-b', 1000, 'k', 'malformed token'],
    [
      'claims changed',
      (t) =>
        `${Buffer.from(JSON.stringify(['sbc-a', 'sbc-b', 'sip:mallory@example.com', 'c:x', 1000])).toString('base64url')}.${t.split('.')[1] ?? ''}`,
      'sbc-b',
      1000,
      'k',
      'signature does not verify',
    ],
    [
      'tag altered',
      (t) => `${t.slice(0, -1)}${t.endsWith('A') ? 'B' : 'A'}`,
      'sbc-b',
      1000,
      'k',
      'signature does not verify',
    ],
  ];
  for (const [title, mangle, self, now, secret, why] of refusals) {
    it(`refuses: ${title}`, () => {
      const token = mangle(signForward('k', claims));
      assert.deepEqual(verifyForward(secret, token, self, now), { ok: false, why });
    });
  }

  it('refuses a correctly signed payload that is not the claims array', () => {
    const payload = Buffer.from('"just a string"').toString('base64url');
    const token = `${payload}.${signToken('k', ['forward/1', payload])}`;
    assert.deepEqual(verifyForward('k', token, 'sbc-b', 0), { ok: false, why: 'undecodable claims' });
  });
});
