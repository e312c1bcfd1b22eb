/**
 * Topology hiding: which headers of a request received on one leg are copied onto the request the
 * B2BUA sends on the other leg. Everything not allowed here is dropped; the B2BUA builds its own
 * Via, Contact, Call-ID, tags, CSeq, Max-Forwards, Route, Supported/Require, session-timer and
 * 100rel headers for each leg.
 *
 *   * a small default set that reveals nothing about either side (DEFAULT_CROSSING);
 *   * P-Asserted-Identity (RFC 3325 §5): only from a leg in the trust domain (`trustIdentity`), and
 *     to a leg outside it only when Privacy does not ask for `id` (RFC 3325 §7, RFC 3323);
 *   * Diversion (RFC 5806) and History-Info (RFC 7044): only when both legs allow them;
 *   * the per-trunk allowlists (`trunks[].headers.allow`) of either leg;
 *   * never: NEVER_CROSSING_HEADERS, B2BUA-generated headers, or X-Palisade-* internal headers.
 */
import type { TrunkConfig } from '../../config';
import { INTERNAL_HEADER_PREFIX, NEVER_CROSSING_HEADERS } from '../../config/schema/trunk-policy';
import { type HeaderField, headerKey } from '../../sip';
import type { RequestHeaders } from './context';

export const DEFAULT_CROSSING: ReadonlySet<string> = new Set([
  'content-type',
  'content-disposition',
  'accept',
  'allow',
  'subject',
  'priority',
  'alert-info',
  'reason',
  'date',
  'privacy',
]);

/** Generated per leg by the B2BUA (RFC 3261 option tags, RFC 4028, RFC 3262), never copied. */
const PER_LEG = [
  'supported',
  'require',
  'proxy-require',
  'unsupported',
  'session-expires',
  'min-se',
  'rseq',
  'rack',
  'user-agent',
  'server',
  'p-preferred-identity',
];

const NEVER: ReadonlySet<string> = new Set([...NEVER_CROSSING_HEADERS, ...PER_LEG]);

/** What one leg permits; a leg without a trunk (a registered device) is untrusted and restricts nothing else. */
export interface LegHeaderPolicy {
  trustIdentity: boolean;
  diversion: boolean;
  /** Canonical header keys (lower-case long form). */
  allow: ReadonlySet<string>;
}

export const DEVICE_LEG: LegHeaderPolicy = { trustIdentity: false, diversion: true, allow: new Set() };

export function legPolicy(trunk: Pick<TrunkConfig, 'headers'> | undefined): LegHeaderPolicy {
  if (trunk === undefined) return DEVICE_LEG;
  const { trustIdentity, diversion, allow } = trunk.headers;
  return { trustIdentity, diversion, allow: new Set(allow.map(headerKey)) };
}

export function isNeverCrossing(key: string): boolean {
  return NEVER.has(key) || key.startsWith(INTERNAL_HEADER_PREFIX);
}

function privacyAsksForId(headers: RequestHeaders): boolean {
  return headers
    .getAll('privacy')
    .flatMap((value) => value.split(';'))
    .some((token) => token.trim().toLowerCase() === 'id');
}

/** May the header with this canonical key cross from leg `from` to leg `to`? */
export function mayCross(
  key: string,
  from: LegHeaderPolicy,
  to: LegHeaderPolicy,
  privacyId: boolean,
): boolean {
  if (isNeverCrossing(key)) return false;
  if (key === 'p-asserted-identity') return from.trustIdentity && (to.trustIdentity || !privacyId);
  if (key === 'diversion' || key === 'history-info') return from.diversion && to.diversion;
  return DEFAULT_CROSSING.has(key) || from.allow.has(key) || to.allow.has(key);
}

/** The header fields to copy onto the other leg's request, in received order, one per value. */
export function crossingHeaders(
  headers: RequestHeaders,
  from: LegHeaderPolicy,
  to: LegHeaderPolicy,
): HeaderField[] {
  const privacyId = privacyAsksForId(headers);
  const seen = new Set<string>();
  const out: HeaderField[] = [];
  for (const name of headers.names()) {
    const key = headerKey(name);
    if (seen.has(key)) continue;
    seen.add(key);
    if (!mayCross(key, from, to, privacyId)) continue;
    for (const value of headers.getAll(key)) out.push([name, value]);
  }
  return out;
}
