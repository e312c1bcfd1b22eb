/**
 * Element-level checks on a valid request, in RFC 3261 order: Request-URI scheme (§8.2.2.1,
 * §16.3 step 2: 416), method (§8.2.1: 501 + Allow), Max-Forwards (§16.3 step 3: 483),
 * Require / Proxy-Require (§8.2.2.3, §16.3 step 5: 420 + Unsupported), registrar AOR
 * (§10.3, RFC 4475 §3.3.3: 400), body type (§8.2.3: 415 + Accept), Accept (§21.4.7: 406).
 */
import type { SipRequest } from './request';

export interface RequestPolicy {
  /** URI schemes handled (lower case); default sip, sips, tel */
  readonly schemes?: readonly string[];
  /** implemented methods; default the RFC 3261 set plus common extensions */
  readonly methods?: readonly string[];
  /** supported option tags */
  readonly extensions?: readonly string[];
  /** body types understood; default application/sdp */
  readonly contentTypes?: readonly string[];
  /** the element forwards requests (proxy / B2BUA): Max-Forwards and Proxy-Require apply */
  readonly forwards?: boolean;
  /** the element is a registrar for REGISTER */
  readonly registrar?: boolean;
}

export interface Rejection {
  readonly status: number;
  readonly headers: readonly (readonly [string, string])[];
}

export const DEFAULT_METHODS: readonly string[] = [
  'INVITE', 'ACK', 'BYE', 'CANCEL', 'OPTIONS', 'REGISTER', 'PRACK', 'SUBSCRIBE',
  'NOTIFY', 'PUBLISH', 'INFO', 'REFER', 'MESSAGE', 'UPDATE',
]; // prettier-ignore

function mediaType(ct: string): string {
  const semi = ct.indexOf(';');
  return (semi < 0 ? ct : ct.slice(0, semi)).trim().toLowerCase();
}

function unsupported(req: SipRequest, header: string, known: readonly string[]): string[] {
  return req.headers(header).filter((tag) => !known.includes(tag));
}

/** The first rejection that applies, or undefined when the request may be processed. */
export function checkRequest(req: SipRequest, policy: RequestPolicy = {}): Rejection | undefined {
  const schemes = policy.schemes ?? ['sip', 'sips', 'tel'];
  if (!schemes.includes(req.requestUri().scheme.toLowerCase())) return { status: 416, headers: [] };
  const methods = policy.methods ?? DEFAULT_METHODS;
  if (!methods.includes(req.method)) return { status: 501, headers: [['Allow', methods.join(', ')]] };
  if (policy.forwards === true && req.maxForwards() === 0) return { status: 483, headers: [] };
  if (req.method !== 'ACK' && req.method !== 'CANCEL') {
    const ext = policy.extensions ?? [];
    const bad = unsupported(req, 'require', ext);
    if (policy.forwards === true) bad.push(...unsupported(req, 'proxy-require', ext));
    if (bad.length > 0) return { status: 420, headers: [['Unsupported', bad.join(', ')]] };
  }
  if (policy.registrar === true && req.method === 'REGISTER') {
    const s = req.to().uri.scheme;
    if (s !== 'sip' && s !== 'sips') return { status: 400, headers: [] };
  }
  const types = policy.contentTypes ?? ['application/sdp'];
  const ct = req.header('content-type');
  if (req.body.length > 0 && ct !== undefined && !types.includes(mediaType(ct))) {
    return { status: 415, headers: [['Accept', types.join(', ')]] };
  }
  if (req.method === 'INVITE' && req.hasHeader('accept')) {
    const accepted = req.headers('accept').map(mediaType);
    const ok = accepted.some(
      (a) => a === '*/*' || types.includes(a) || types.some((t) => a === `${t.split('/')[0] ?? ''}/*`),
    );
    if (!ok) return { status: 406, headers: [] };
  }
  return undefined;
}
