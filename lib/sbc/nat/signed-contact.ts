/**
 * The Palisade-signed token in the Contact Palisade sends to callers (issue 7 point 6 (d)).
 * RFC 3261 §12.1.1 / §12.2.1.1: the peer uses that Contact verbatim as the Request-URI of every
 * request in the dialog, so the parameter must come back unchanged, on the host and port we
 * sent. A router SIP ALG that rewrites addresses (or drops parameters) breaks either; Palisade
 * itself does not depend on the parameter (the engine matches dialogs by Call-ID and tags), so
 * calls through such an ALG still work — the failure is only evidence.
 */
import { parseUri } from '../../sip';
import { type TokenSecret, signToken, verifyToken } from './signed-token';

/**
 * Prefix of the signed user part. The token sits in the user part, not in a URI parameter: the
 * `@localhost` substitution keeps a user part intact (a bracketed URI parameter it currently
 * moves out of the URI).
 */
export const SIGNED_PARAM = 'pst';
const PREFIX = `${SIGNED_PARAM}-`;

const fields = (callId: string): string[] => ['contact/1', callId];

/**
 * The Contact header value for the caller's dialog: `@localhost`-style, so the engine writes its
 * own (advertised) address and port (protocol doc §5.1); only the parameter is ours.
 */
export function signedContact(secret: TokenSecret, callId: string): string {
  return `<sip:${PREFIX}${signToken(secret, fields(callId))}@localhost>`;
}

export type ReturnedCheck = { ok: true } | { ok: false; why: string };

function hostPort(uri: string): { host: string; port: number; token: string | undefined } | undefined {
  const parsed = parseUri(uri.trim().replace(/^<|>$/g, ''));
  if (!parsed.ok || parsed.value.kind !== 'sip') return undefined;
  const u = parsed.value;
  const token = u.user?.startsWith(PREFIX) === true ? u.user.slice(PREFIX.length) : undefined;
  const secure = u.scheme.toLowerCase() === 'sips';
  return {
    host: u.host.toLowerCase().replace(/^\[(.*)\]$/, '$1'),
    port: u.port ?? (secure ? 5061 : 5060),
    token,
  };
}

/**
 * Compare the Request-URI of an in-dialog request with the Contact we sent in that dialog: the
 * signed parameter must verify for this Call-ID and host/port must be ours. `sent` is undefined
 * when we did not sign this dialog's Contact (then there is nothing to check).
 */
export function checkReturnedUri(
  secret: TokenSecret | readonly TokenSecret[],
  callId: string,
  returned: string,
  sent: string | undefined,
): ReturnedCheck {
  const ours = sent === undefined ? undefined : hostPort(sent);
  if (ours?.token === undefined) return { ok: true };
  const back = hostPort(returned);
  if (back === undefined) return { ok: false, why: `Request-URI unreadable: ${returned.slice(0, 80)}` };
  if (back.token === undefined) return { ok: false, why: 'signed user part missing from Request-URI' };
  if (!verifyToken(secret, back.token, fields(callId)))
    return { ok: false, why: 'signed user part altered in Request-URI' };
  if (back.host !== ours.host || back.port !== ours.port)
    return { ok: false, why: `Request-URI ${back.host}:${back.port}, our Contact ${ours.host}:${ours.port}` };
  return { ok: true };
}
