/**
 * Header names: compact forms (RFC 3261 §7.3.3, §20 and the extensions that define one),
 * case-insensitive canonical keys, and which headers are comma-separated lists (§7.3.1).
 */
const COMPACT = new Map<string, string>([
  ['i', 'call-id'],
  ['m', 'contact'],
  ['e', 'content-encoding'],
  ['l', 'content-length'],
  ['c', 'content-type'],
  ['f', 'from'],
  ['s', 'subject'],
  ['k', 'supported'],
  ['t', 'to'],
  ['v', 'via'],
  ['o', 'event'], // RFC 6665
  ['u', 'allow-events'], // RFC 6665
  ['r', 'refer-to'], // RFC 3515
  ['b', 'referred-by'], // RFC 3892
  ['x', 'session-expires'], // RFC 4028
  ['y', 'identity'], // RFC 8224
  ['a', 'accept-contact'], // RFC 3841
  ['j', 'reject-contact'], // RFC 3841
  ['d', 'request-disposition'], // RFC 3841
]);

const KEY_CACHE = new Map<string, string>();
const KEY_CACHE_MAX = 4096;

/** Canonical key of a header name: lower-case long form ("v", "VIA" and "Via" give "via"). */
export function headerKey(name: string): string {
  let key = KEY_CACHE.get(name);
  if (key === undefined) {
    const lower = name.toLowerCase();
    key = COMPACT.get(lower) ?? lower;
    if (KEY_CACHE.size < KEY_CACHE_MAX) KEY_CACHE.set(name, key);
  }
  return key;
}

/** Headers whose grammar is `#element` (comma-separated values may share one line). */
const LIST_HEADERS = new Set([
  'via',
  'contact',
  'route',
  'record-route',
  'path',
  'service-route',
  'accept',
  'accept-encoding',
  'accept-language',
  'alert-info',
  'allow',
  'allow-events',
  'call-info',
  'content-encoding',
  'content-language',
  'error-info',
  'in-reply-to',
  'proxy-require',
  'require',
  'supported',
  'unsupported',
  'warning',
  'reason',
  'history-info',
  'p-asserted-identity',
  'p-preferred-identity',
  'p-associated-uri',
  'diversion',
  'security-client',
  'security-server',
  'security-verify',
  'accept-contact',
  'reject-contact',
  'request-disposition',
]);

export function isListHeader(key: string): boolean {
  return LIST_HEADERS.has(key);
}

/** Headers that may appear at most once (§7.3.1, §20). */
export const SINGLE_HEADERS: readonly string[] = ['from', 'to', 'call-id', 'cseq', 'max-forwards'];

/** Display spelling used when Palisade itself writes a header. */
export const CANONICAL_NAMES: Readonly<Record<string, string>> = {
  via: 'Via',
  from: 'From',
  to: 'To',
  'call-id': 'Call-ID',
  cseq: 'CSeq',
  'content-length': 'Content-Length',
  'content-type': 'Content-Type',
  'max-forwards': 'Max-Forwards',
};
