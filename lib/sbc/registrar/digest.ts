/**
 * HTTP Digest for SIP (RFC 3261 §22.4, RFC 7616 for SHA-256, RFC 2617 §3.2.2 for requests
 * without qop): reading an Authorization header, computing the expected response from the
 * user's password, and writing WWW-Authenticate challenges. `-sess` algorithms and `userhash`
 * are not offered (RFC 7616 §3.4.4), so they are refused.
 */
import { createHash, timingSafeEqual } from 'node:crypto';

export type DigestAlgorithm = 'MD5' | 'SHA-256';

export interface DigestCredentials {
  username: string;
  realm: string;
  nonce: string;
  uri: string;
  response: string;
  algorithm: string;
  qop: string | undefined;
  nc: string | undefined;
  cnonce: string | undefined;
  opaque: string | undefined;
}

/** `name=value` / `name="quoted"` pairs of a Digest header (RFC 7616 §3.4, RFC 7235 auth-param). */
export function parseAuthParams(text: string): Map<string, string> | undefined {
  const m = /^\s*Digest\s+/i.exec(text);
  if (!m) return undefined;
  const params = new Map<string, string>();
  const re = /\s*([A-Za-z0-9_-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,"]*))\s*(?:,|$)/gy;
  re.lastIndex = m[0].length;
  while (re.lastIndex < text.length) {
    const p = re.exec(text);
    if (!p) return undefined;
    const value = p[2] === undefined ? (p[3] ?? '') : p[2].replace(/\\(.)/g, '$1');
    params.set((p[1] ?? '').toLowerCase(), value);
  }
  return params;
}

export function parseDigestCredentials(header: string): DigestCredentials | undefined {
  const p = parseAuthParams(header);
  if (!p) return undefined;
  const [username, realm, nonce, uri, response] = ['username', 'realm', 'nonce', 'uri', 'response'].map((k) =>
    p.get(k),
  );
  if (!username || realm === undefined || !nonce || !uri || !response) return undefined;
  return {
    username,
    realm,
    nonce,
    uri,
    response: response.toLowerCase(),
    algorithm: p.get('algorithm') ?? 'MD5',
    qop: p.get('qop'),
    nc: p.get('nc'),
    cnonce: p.get('cnonce'),
    opaque: p.get('opaque'),
  };
}

export function asAlgorithm(name: string): DigestAlgorithm | undefined {
  const upper = name.toUpperCase();
  return upper === 'MD5' || upper === 'SHA-256' ? upper : undefined;
}

const hash = (algorithm: DigestAlgorithm, text: string): string =>
  createHash(algorithm === 'MD5' ? 'md5' : 'sha256')
    .update(text, 'utf8')
    .digest('hex');

/** The response a client knowing `password` would send (RFC 7616 §3.4.1). */
export function expectedResponse(
  c: DigestCredentials,
  algorithm: DigestAlgorithm,
  method: string,
  password: string,
): string {
  const ha1 = hash(algorithm, `${c.username}:${c.realm}:${password}`);
  const ha2 = hash(algorithm, `${method}:${c.uri}`);
  if (c.qop === undefined) return hash(algorithm, `${ha1}:${c.nonce}:${ha2}`);
  return hash(algorithm, `${ha1}:${c.nonce}:${c.nc ?? ''}:${c.cnonce ?? ''}:${c.qop}:${ha2}`);
}

/** Constant-time comparison of two hex digests. */
export function sameDigest(a: string, b: string): boolean {
  const x = Buffer.from(a, 'latin1');
  const y = Buffer.from(b, 'latin1');
  return x.length === y.length && timingSafeEqual(x, y);
}

/** One WWW-Authenticate value (RFC 7616 §3.3): qop=auth, and stale=TRUE for an expired nonce. */
export function challenge(o: {
  realm: string;
  nonce: string;
  algorithm: DigestAlgorithm;
  stale: boolean;
}): string {
  const quoted = (s: string) => `"${s.replace(/(["\\])/g, '\\$1')}"`;
  return [
    `Digest realm=${quoted(o.realm)}`,
    `nonce=${quoted(o.nonce)}`,
    `algorithm=${o.algorithm}`,
    'qop="auth"',
    ...(o.stale ? ['stale=TRUE'] : []),
  ].join(', ');
}
