import assert from 'node:assert/strict';
import { DigestAuthenticator } from '../../../../lib/sbc/registrar/authenticator';
import { expectedResponse, parseDigestCredentials } from '../../../../lib/sbc/registrar/digest';
import { NonceIssuer } from '../../../../lib/sbc/registrar/nonce';

// RFC 7616 §3.9.1 (the HTTP example; the computation is the same for SIP).
const RFC7616 = {
  username: 'Mufasa',
  realm: 'http-auth@example.org',
  nonce: '7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v',
  uri: '/dir/index.html',
  qop: 'auth',
  nc: '00000001',
  cnonce: 'f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ',
  opaque: undefined,
  response: '',
  algorithm: '',
};

describe('registrar digest (RFC 7616)', () => {
  it('computes the RFC 7616 §3.9.1 responses for MD5 and SHA-256', () => {
    assert.equal(
      expectedResponse(RFC7616, 'MD5', 'GET', 'Circle of Life'),
      '8ca523f5e9506fed4657c9700eebdbec',
    );
    assert.equal(
      expectedResponse(RFC7616, 'SHA-256', 'GET', 'Circle of Life'),
      '753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1',
    );
  });

  it('reads an Authorization header with quoted and token params', () => {
    const c = parseDigestCredentials(
      'Digest username="alice", realm="x", nonce="n1", uri="sip:a@b", response="ABC", algorithm=MD5, qop=auth, nc=00000001, cnonce="c"',
    );
    assert.deepEqual(
      c && [c.username, c.realm, c.nonce, c.uri, c.response, c.algorithm, c.qop, c.nc, c.cnonce],
      ['alice', 'x', 'n1', 'sip:a@b', 'abc', 'MD5', 'auth', '00000001', 'c'],
    );
    assert.equal(parseDigestCredentials('Basic abc'), undefined);
  });

  describe('authenticator', () => {
    let now = 1_000_000;
    const nonces = new NonceIssuer('k', 'realm', 60_000, () => now);
    const auth = new DigestAuthenticator({
      realm: 'realm',
      users: new Map([['alice', 'pw']]),
      algorithms: ['MD5'],
      nonces,
    });
    const creds = (user: string, password: string, nonce: string): string => {
      const c = { ...RFC7616, username: user, realm: 'realm', nonce, uri: 'sip:reg', algorithm: 'MD5' };
      const response = expectedResponse(c, 'MD5', 'REGISTER', password);
      return `Digest username="${user}", realm="realm", nonce="${nonce}", uri="sip:reg", response="${response}", algorithm=MD5, qop=auth, nc=${c.nc}, cnonce="${c.cnonce}"`;
    };

    it('challenges without credentials, accepts the right password, forbids a wrong one or another AOR', () => {
      assert.deepEqual(auth.check(undefined, 'REGISTER', 'alice'), { kind: 'challenge', stale: false });
      const nonce = nonces.issue();
      assert.equal(auth.check(creds('alice', 'pw', nonce), 'REGISTER', 'alice').kind, 'ok');
      assert.equal(auth.check(creds('alice', 'bad', nonce), 'REGISTER', 'alice').kind, 'forbidden');
      assert.equal(auth.check(creds('alice', 'pw', nonce), 'REGISTER', 'bob').kind, 'forbidden');
      assert.equal(auth.check(creds('mallory', 'pw', nonce), 'REGISTER', 'mallory').kind, 'forbidden');
    });

    it('re-challenges a forged nonce and says stale=TRUE for an expired one', () => {
      const nonce = nonces.issue();
      const forged = nonce.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A'));
      assert.deepEqual(auth.check(creds('alice', 'pw', forged), 'REGISTER', 'alice'), {
        kind: 'challenge',
        stale: false,
      });
      now += 61_000;
      assert.deepEqual(auth.check(creds('alice', 'pw', nonce), 'REGISTER', 'alice'), {
        kind: 'challenge',
        stale: true,
      });
      assert.match(auth.challenges(true)[0]?.[1] ?? '', /stale=TRUE/);
    });

    it('accepts a nonce issued by another instance with the same secret', () => {
      const other = new NonceIssuer('k', 'realm', 60_000, () => now);
      assert.equal(nonces.check(other.issue()), 'valid');
      assert.equal(new NonceIssuer('other-key', 'realm', 60_000, () => now).check(nonces.issue()), 'invalid');
    });
  });
});
