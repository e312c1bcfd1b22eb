/**
 * Recursing on a redirect (RFC 3261 §16.5, §16.7 item 4, protocol doc §7 `followRedirects`):
 * the SIP/SIPS Contacts of a 3xx, highest q first, become new targets after the redirecting one.
 */
import { formatUri, type SipResponse } from '../../sip';

export function redirectTargets(res: SipResponse): string[] {
  if (res.status < 300 || res.status >= 400) return [];
  let contacts;
  try {
    contacts = res.contact();
  } catch {
    return []; // a malformed Contact cannot be recursed on; the 3xx joins the response context
  }
  if (contacts === '*') return [];
  const q = (p: string | null | undefined): number => {
    const n = Number(p ?? '1');
    return Number.isFinite(n) ? n : 0;
  };
  return contacts
    .filter((c) => c.uri.kind === 'sip')
    .map((c, i) => ({ uri: formatUri(c.uri), q: q(c.params.get('q')), i }))
    .sort((a, b) => b.q - a.q || a.i - b.i)
    .map((c) => c.uri);
}
