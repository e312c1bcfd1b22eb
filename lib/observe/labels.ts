/**
 * Label bounding for Palisade's metrics. Every label value comes from a fixed set or from config
 * (trunk names); anything else collapses to a fixed fallback, so traffic (numbers, call ids,
 * odd methods, junk status codes) can never grow a metric's series count.
 */

export type CallDirection = 'in' | 'out';
export type CallOutcome = 'answered' | 'failed' | 'cancelled' | 'rejected';
export type SipDirection = 'in' | 'out';

export const CALL_DIRECTIONS: readonly CallDirection[] = ['in', 'out'];
export const CALL_OUTCOMES: readonly CallOutcome[] = ['answered', 'failed', 'cancelled', 'rejected'];

/** Label used for a trunk that is empty or not in the configured set. */
export const UNKNOWN_TRUNK = 'unknown';
/** Label used for any value outside a fixed set. */
export const OTHER = 'other';

/** RFC 3261 methods plus the extensions the SBC relays (3262, 3265, 3903, 6086, 3515, 3428, 3311). */
export const SIP_METHODS = [
  'INVITE',
  'ACK',
  'BYE',
  'CANCEL',
  'OPTIONS',
  'REGISTER',
  'PRACK',
  'SUBSCRIBE',
  'NOTIFY',
  'PUBLISH',
  'INFO',
  'REFER',
  'MESSAGE',
  'UPDATE',
] as const;

/**
 * Stage names of the INVITE pipeline (lib/sbc/pipeline), present and planned, and the checks the
 * B2BUA makes before it (sbc-app.ts: loop, draining, state backend down, ng backlog).
 */
export const PIPELINE_STAGES = [
  'loop',
  'draining',
  'state',
  'media-backlog',
  'forwarded',
  'classify',
  'acl',
  'auth',
  'limits',
  'destination-limits',
  'nat',
  'route',
  'media',
  'headers',
] as const;

/**
 * Signals by which NAT handling suspects a router SIP ALG rewrote a customer's SIP; the same set
 * as lib/sbc/nat/alg-detect.ts ALG_SIGNALS (a unit test keeps them equal).
 */
export const ALG_SIGNALS = [
  'partial-rewrite',
  'contact-sdp-mismatch',
  'via-params-tampered',
  'signed-param-altered',
  'media-port-mismatch',
  'registration-unstable',
  'identity-private',
] as const;

/** How a client was found to be reachable (NAT detection): `websocket` for WS/WSS clients. */
export const NAT_CLIENT_TYPES = ['public', 'nat', 'websocket'] as const;

export type StatusClass = '1xx' | '2xx' | '3xx' | '4xx' | '5xx' | '6xx' | typeof OTHER;

/** '1xx'..'6xx' for a SIP status code, 'other' for anything that is not one. */
export function statusClass(status: number): StatusClass {
  if (!Number.isInteger(status) || status < 100 || status > 699) return OTHER;
  return `${Math.floor(status / 100)}xx` as StatusClass;
}

/** A SIP status 300..699 as itself (a bounded set), anything else as 'other'. */
export function finalStatusLabel(status: number): string {
  return Number.isInteger(status) && status >= 300 && status <= 699 ? String(status) : OTHER;
}

const methodSet: ReadonlySet<string> = new Set(SIP_METHODS);

/** Method names are case-sensitive (RFC 3261 §7.1): only the exact known token keeps its name. */
export function sipMethodLabel(method: string): string {
  return methodSet.has(method) ? method : OTHER;
}

/** A value from a fixed set, or the fallback. */
export function oneOf(value: string, allowed: ReadonlySet<string>, fallback: string = OTHER): string {
  return allowed.has(value) ? value : fallback;
}

/**
 * Open-ended but code-defined values (e.g. stable error codes): admitted while they look like a
 * code and fewer than `max` distinct values have been seen; then everything new is 'other'.
 */
export class CappedLabel {
  private readonly seen = new Set<string>();

  constructor(
    private readonly max: number,
    private readonly pattern: RegExp = /^[A-Za-z][A-Za-z0-9_.-]{0,63}$/,
  ) {}

  label(value: string): string {
    if (this.seen.has(value)) return value;
    if (!this.pattern.test(value) || this.seen.size >= this.max) return OTHER;
    this.seen.add(value);
    return value;
  }
}
