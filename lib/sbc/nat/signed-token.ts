/**
 * A keyed tag Palisade puts into a parameter of its own Contact / Record-Route (or a Via branch)
 * and checks when the peer sends it back (RFC 3261 §12.1.1 / §16.6: Record-Route and Contact
 * come back verbatim in Route and Request-URI). Any change — by a SIP ALG rewriting addresses,
 * or by a forger — makes it fail: evidence for ALG detection (issue 7 point 6).
 *
 * HMAC-SHA256 (RFC 2104) over the fields, length-prefixed so that ("ab","c") ≠ ("a","bc"),
 * truncated to 128 bits (RFC 2104 §5 allows truncation to ≥ half the output) and written in
 * base64url, whose characters are all SIP `unreserved` (RFC 3261 §25.1): valid in URI parameters
 * and in a Via branch token without escaping.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export type TokenSecret = string | Uint8Array;

/** 128 bits as base64url without padding. */
export const TOKEN_LENGTH = 22;
const TAG_BYTES = 16;

function tag(secret: TokenSecret, fields: readonly string[]): Buffer {
  const mac = createHmac('sha256', secret);
  for (const field of fields) {
    mac.update(`${Buffer.byteLength(field)}:`);
    mac.update(field);
  }
  return mac.digest().subarray(0, TAG_BYTES);
}

/** The token for these fields (order matters). */
export function signToken(secret: TokenSecret, fields: readonly string[]): string {
  return tag(secret, fields).toString('base64url');
}

/**
 * True when the token matches the fields under the secret, or under any of several secrets
 * (current first, then previous ones during a key rotation). Constant-time comparison.
 */
export function verifyToken(
  secret: TokenSecret | readonly TokenSecret[],
  token: string,
  fields: readonly string[],
): boolean {
  // Compare the text, not decoded bytes: the last base64url character carries 4 spare bits that
  // a decoder ignores, so decoding would accept altered tokens.
  if (token.length !== TOKEN_LENGTH) return false;
  const given = Buffer.from(token, 'latin1');
  const secrets: readonly TokenSecret[] = isSecretList(secret) ? secret : [secret];
  let matched = false;
  for (const s of secrets) {
    matched = timingSafeEqual(Buffer.from(signToken(s, fields), 'latin1'), given) || matched;
  }
  return matched;
}

function isSecretList(secret: TokenSecret | readonly TokenSecret[]): secret is readonly TokenSecret[] {
  return Array.isArray(secret);
}
