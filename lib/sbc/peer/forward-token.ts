/**
 * The token an instance puts on a request it forwards to the instance holding a device's flow
 * (issue 8 point 3, docs/adr/0005-instance-forwarding.md): which instance sends it, which one
 * it is for, the binding (AOR and binding key) and an expiry (epoch seconds), signed with the
 * secret all instances share (HMAC-SHA256, signed-token.ts). It rides in the internal header
 * X-Palisade-Forwarded, which never crosses to any other leg (pipeline/headers.ts).
 *
 * Wire form: `<payload>.<tag>`, payload = base64url(JSON), tag over ['forward/1', payload].
 * base64url and '.' are SIP token characters (RFC 3261 §25.1), so the value needs no quoting.
 */
import { type TokenSecret, signToken, verifyToken } from '../nat/signed-token';

export const FORWARD_HEADER = 'X-Palisade-Forwarded';

export interface ForwardClaims {
  /** Sending instance id. */
  from: string;
  /** Instance the request is for (the binding's flow owner). */
  to: string;
  aor: string;
  /** bindingKey() of the binding within its AOR. */
  binding: string;
  /** Epoch seconds after which the token is refused. */
  expires: number;
}

const DOMAIN = 'forward/1';

export function signForward(secret: TokenSecret, claims: ForwardClaims): string {
  const payload = Buffer.from(
    JSON.stringify([claims.from, claims.to, claims.aor, claims.binding, claims.expires]),
  ).toString('base64url');
  return `${payload}.${signToken(secret, [DOMAIN, payload])}`;
}

export type ForwardCheck = { ok: true; claims: ForwardClaims } | { ok: false; why: string };

function decode(payload: string): ForwardClaims | undefined {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    return undefined; // not JSON: an undecodable token is refused like a forged one
  }
  if (!Array.isArray(value) || value.length !== 5) return undefined;
  const [from, to, aor, binding, expires] = value as unknown[];
  if (typeof from !== 'string' || typeof to !== 'string' || typeof aor !== 'string') return undefined;
  if (typeof binding !== 'string' || typeof expires !== 'number') return undefined;
  return { from, to, aor, binding, expires };
}

/** Verify a token for instance `self` at wall time `nowSeconds`. */
export function verifyForward(
  secret: TokenSecret | readonly TokenSecret[],
  token: string,
  self: string,
  nowSeconds: number,
): ForwardCheck {
  const dot = token.lastIndexOf('.');
  if (dot <= 0) return { ok: false, why: 'malformed token' };
  const payload = token.slice(0, dot);
  if (!verifyToken(secret, token.slice(dot + 1), [DOMAIN, payload]))
    return { ok: false, why: 'signature does not verify' };
  const claims = decode(payload);
  if (claims === undefined) return { ok: false, why: 'undecodable claims' };
  if (claims.to !== self) return { ok: false, why: `token is for instance ${claims.to}` };
  if (claims.expires < nowSeconds) return { ok: false, why: 'token expired' };
  return { ok: true, claims };
}
