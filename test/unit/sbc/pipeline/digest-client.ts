/** What a SIP client knowing the password answers to a digest challenge (RFC 7616 §3.4), for tests. */
import assert from 'node:assert/strict';
import {
  expectedResponse,
  parseAuthParams,
  type DigestAlgorithm,
} from '../../../../lib/sbc/registrar/digest';

export function answerChallenge(
  challenge: string,
  o: { user: string; password: string; method: string; uri: string; algorithm?: DigestAlgorithm },
): string {
  const p = parseAuthParams(challenge);
  assert.ok(p, `a Digest challenge: ${challenge}`);
  const algorithm = o.algorithm ?? 'MD5';
  const c = {
    username: o.user,
    realm: p.get('realm') ?? '',
    nonce: p.get('nonce') ?? '',
    uri: o.uri,
    response: '',
    algorithm,
    qop: 'auth',
    nc: '00000001',
    cnonce: 'c0ffee',
    opaque: undefined,
  };
  const response = expectedResponse(c, algorithm, o.method, o.password);
  return [
    `Digest username="${o.user}"`,
    `realm="${c.realm}"`,
    `nonce="${c.nonce}"`,
    `uri="${c.uri}"`,
    `response="${response}"`,
    `algorithm=${algorithm}`,
    'qop=auth',
    'nc=00000001',
    'cnonce="c0ffee"',
  ].join(', ');
}
