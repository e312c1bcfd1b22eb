/**
 * Addresses-of-record (RFC 3261 §10.3 step 5): `sip:user@domain` — scheme sip (sips folds to sip,
 * the binding is the same AOR), user part as written, host lower-case, no port or parameters.
 * With `domains` configured, those are the domains Palisade is responsible for: a host in the
 * list stays, an IP literal (a device registering straight to an address of ours) maps to the
 * first domain, anything else is not ours (404). Without `domains`, every host is accepted.
 */
import { parseUri } from '../../sip';
import { isIpLiteral } from '../nat/address-class';

export type AorResult =
  { ok: true; aor: string; user: string } | { ok: false; status: 400 | 404 | 416; reason: string };

export function canonicalAor(uriText: string, domains: readonly string[]): AorResult {
  const parsed = parseUri(uriText.trim().replace(/^<|>$/g, ''));
  if (!parsed.ok) return { ok: false, status: 400, reason: 'Bad Address-of-Record' };
  const uri = parsed.value;
  if (uri.kind !== 'sip') return { ok: false, status: 416, reason: 'Unsupported URI Scheme' };
  if (uri.user === undefined || uri.user === '') return { ok: false, status: 400, reason: 'No User In AOR' };
  const host = uri.host.toLowerCase();
  const domain = domainFor(host, domains);
  if (domain === undefined) return { ok: false, status: 404, reason: 'Not Found' };
  return { ok: true, aor: `sip:${uri.user}@${domain}`, user: uri.user };
}

function domainFor(host: string, domains: readonly string[]): string | undefined {
  if (domains.length === 0) return host;
  const listed = domains.find((d) => d.toLowerCase() === host);
  if (listed !== undefined) return listed.toLowerCase();
  return isIpLiteral(host) ? domains[0]?.toLowerCase() : undefined;
}
