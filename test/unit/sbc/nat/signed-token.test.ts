import { strict as assert } from 'node:assert';
import { TOKEN_LENGTH, signToken, verifyToken } from '../../../../lib/sbc/nat/signed-token';

const SECRET = 'k3y-shared-by-all-instances';
const FIELDS = ['udp', '203.0.113.101', '40312', 'sbc-1'];

describe('sbc/nat/signed-token', () => {
  const token = signToken(SECRET, FIELDS);

  it('is 22 base64url characters, all SIP unreserved (usable in a URI param or Via branch)', () => {
    assert.equal(token.length, TOKEN_LENGTH);
    assert.match(token, /^[A-Za-z0-9_-]{22}$/);
  });

  it('is deterministic and round-trips', () => {
    assert.equal(signToken(SECRET, FIELDS), token);
    assert.equal(verifyToken(SECRET, token, FIELDS), true);
    assert.equal(verifyToken(Buffer.from(SECRET), token, FIELDS), true);
  });

  const tampered: [string, string, string, readonly string[]][] = [
    ['a changed field (ALG rewrote the address)', SECRET, token, ['udp', '192.168.1.20', '40312', 'sbc-1']],
    ['a changed port', SECRET, token, ['udp', '203.0.113.101', '5060', 'sbc-1']],
    ['field boundaries moved', SECRET, token, ['udp', '203.0.113.1014', '0312', 'sbc-1']],
    ['fields joined', SECRET, token, ['udp203.0.113.101', '40312', 'sbc-1']],
    ['a missing field', SECRET, token, FIELDS.slice(0, 3)],
    ['another secret', 'other-secret', token, FIELDS],
    ['a truncated token', SECRET, token.slice(0, 21), FIELDS],
    ['an extended token', SECRET, `${token}A`, FIELDS],
    ['an empty token', SECRET, '', FIELDS],
    [
      'an upper-cased token',
      SECRET,
      token.toUpperCase() === token ? token.toLowerCase() : token.toUpperCase(),
      FIELDS,
    ],
  ];
  for (const [name, secret, candidate, fields] of tampered) {
    it(`rejects ${name}`, () => {
      assert.equal(verifyToken(secret, candidate, fields), false);
    });
  }

  it('rejects every single-character alteration, including the spare bits of the last one', () => {
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    for (let i = 0; i < token.length; i++) {
      for (const c of alphabet) {
        if (c === token[i]) continue;
        const altered = `${token.slice(0, i)}${c}${token.slice(i + 1)}`;
        assert.equal(verifyToken(SECRET, altered, FIELDS), false, `position ${i} → ${c}`);
      }
    }
  });

  it('accepts any secret of a rotation list, current or previous', () => {
    const old = signToken('old-secret', FIELDS);
    assert.equal(verifyToken([SECRET, 'old-secret'], old, FIELDS), true);
    assert.equal(verifyToken([SECRET, 'old-secret'], token, FIELDS), true);
    assert.equal(verifyToken([SECRET], old, FIELDS), false);
    assert.equal(verifyToken([], token, FIELDS), false);
  });

  it('does not throw on non-ASCII input', () => {
    assert.equal(verifyToken(SECRET, 'é'.repeat(TOKEN_LENGTH), FIELDS), false);
    assert.equal(verifyToken(SECRET, signToken(SECRET, ['ünï']), ['ünï']), true);
  });
});
