/**
 * Which app-supplied headers the engine takes and how it writes their names (protocol doc §5.1):
 * Via, Route, Record-Route, RSeq and Content-Length are never taken from the app; standard
 * headers get their canonical name; extension headers are re-cased (first letter and letters
 * after "-" upper case) except X- headers, which are kept as given.
 */
const NEVER_FROM_APP = new Set(['via', 'v', 'route', 'record-route', 'rseq', 'content-length', 'l']);

const CANONICAL = [
  'From',
  'To',
  'Call-ID',
  'CSeq',
  'Contact',
  'RAck',
  'Max-Forwards',
  'User-Agent',
  'Server',
  'Subject',
  'Expires',
  'Min-Expires',
  'Date',
  'Retry-After',
  'Timestamp',
  'Priority',
  'Call-Info',
  'Organization',
  'In-Reply-To',
  'Accept',
  'Accept-Encoding',
  'Accept-Language',
  'Allow',
  'Allow-Events',
  'Require',
  'Proxy-Require',
  'Supported',
  'Unsupported',
  'Event',
  'Subscription-State',
  'Proxy-Authenticate',
  'WWW-Authenticate',
  'Authorization',
  'Proxy-Authorization',
  'Authentication-Info',
  'Proxy-Authentication-Info',
  'Error-Info',
  'Warning',
  'Refer-To',
  'Referred-By',
  'Refer-Sub',
  'Replaces',
  'Session-Expires',
  'Min-SE',
  'Path',
  'Service-Route',
  'Reason',
  'Security-Client',
  'Security-Server',
  'Security-Verify',
  'Privacy',
  'SIP-ETag',
  'SIP-If-Match',
  'MIME-Version',
  'Content-Type',
  'Content-Encoding',
  'Content-Language',
  'Content-Disposition',
  'Request-Disposition',
  'Accept-Contact',
  'Reject-Contact',
  'Alert-Info',
  'Reply-To',
  'P-Asserted-Identity',
  'P-Preferred-Identity',
  'Remote-Party-ID',
];
const CANONICAL_BY_KEY = new Map(CANONICAL.map((n) => [n.toLowerCase(), n]));
const COMPACT: Record<string, string> = {
  i: 'call-id',
  m: 'contact',
  e: 'content-encoding',
  c: 'content-type',
  f: 'from',
  s: 'subject',
  k: 'supported',
  t: 'to',
  o: 'event',
  u: 'allow-events',
  r: 'refer-to',
  b: 'referred-by',
  x: 'session-expires',
  y: 'identity',
  a: 'accept-contact',
  j: 'reject-contact',
  d: 'request-disposition',
};

/** Lower-case long-form key of a header name (compact forms expanded). */
export function headerKeyOf(name: string): string {
  const lower = name.toLowerCase();
  return COMPACT[lower] ?? lower;
}

export function takenFromApp(name: string): boolean {
  return !NEVER_FROM_APP.has(name.toLowerCase());
}

export function canonicalName(name: string): string {
  const key = headerKeyOf(name);
  const known = CANONICAL_BY_KEY.get(key);
  if (known) return known;
  if (/^x-/i.test(name)) return name;
  return key.replace(/(^|-)([a-z])/g, (_m, dash: string, ch: string) => dash + ch.toUpperCase());
}
