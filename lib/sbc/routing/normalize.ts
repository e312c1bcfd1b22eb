/**
 * Per-trunk number and domain normalisation (`trunks[].normalize.inbound|outbound`), as pure
 * functions on strings. A rule rewrites telephone-number user parts (optional "+", then digits) in
 * the order stripPrefix → e164 → addPrefix, and replaces the host of From / P-Asserted-Identity
 * SIP URIs with `fromDomain`. Other user names and unparsable values are returned unchanged.
 */
import type { NormalizeRuleConfig } from '../../config/schema/trunk-policy';
import { type Uri, formatNameAddr, formatUri, parseNameAddr, parseUri } from '../../sip';

export type NormalizeRule = Pick<NormalizeRuleConfig, 'e164' | 'nationalPrefix' | 'internationalPrefix'> &
  Partial<Pick<NormalizeRuleConfig, 'stripPrefix' | 'countryCode' | 'addPrefix' | 'fromDomain'>> & {
    applyTo: readonly NormalizeField[];
  };

export type NormalizeField = 'ruri' | 'to' | 'from' | 'pai';

/** A rule that changes nothing. */
export const IDENTITY_RULE: NormalizeRule = {
  e164: 'keep',
  nationalPrefix: '0',
  internationalPrefix: '00',
  applyTo: ['ruri', 'to', 'from', 'pai'],
};

const TELEPHONE_NUMBER = /^\+?[0-9]+$/;

function toE164(number: string, rule: NormalizeRule, countryCode: string): string {
  if (number.startsWith('+')) return number;
  if (number.startsWith(rule.internationalPrefix)) return `+${number.slice(rule.internationalPrefix.length)}`;
  if (number.startsWith(rule.nationalPrefix))
    return `+${countryCode}${number.slice(rule.nationalPrefix.length)}`;
  return number;
}

function fromE164(number: string, rule: NormalizeRule, countryCode: string): string {
  if (!number.startsWith('+')) return number;
  const digits = number.slice(1);
  return digits.startsWith(countryCode)
    ? `${rule.nationalPrefix}${digits.slice(countryCode.length)}`
    : `${rule.internationalPrefix}${digits}`;
}

/** Rewrite one user part (escaped, as it appears in the URI). */
export function normalizeNumber(user: string, rule: NormalizeRule): string {
  if (!TELEPHONE_NUMBER.test(user)) return user;
  let number = user;
  if (rule.stripPrefix !== undefined && number.startsWith(rule.stripPrefix)) {
    number = number.slice(rule.stripPrefix.length);
  }
  if (rule.countryCode !== undefined && rule.e164 === 'add') number = toE164(number, rule, rule.countryCode);
  if (rule.countryCode !== undefined && rule.e164 === 'remove')
    number = fromE164(number, rule, rule.countryCode);
  return rule.addPrefix === undefined ? number : `${rule.addPrefix}${number}`;
}

function rewrite(uri: Uri, rule: NormalizeRule, field: NormalizeField): Uri {
  const domain = field === 'from' || field === 'pai' ? rule.fromDomain : undefined;
  switch (uri.kind) {
    case 'sip': {
      const user = uri.user === undefined ? undefined : normalizeNumber(uri.user, rule);
      return domain === undefined ? { ...uri, user } : { ...uri, user, host: domain, port: undefined };
    }
    case 'tel':
      return { ...uri, number: normalizeNumber(uri.number, rule) };
    case 'other':
      return uri;
  }
}

/** Normalise a bare URI (the Request-URI). */
export function normalizeUri(value: string, rule: NormalizeRule, field: NormalizeField = 'ruri'): string {
  if (!rule.applyTo.includes(field)) return value;
  const parsed = parseUri(value);
  return parsed.ok ? formatUri(rewrite(parsed.value, rule, field)) : value;
}

/** Normalise a name-addr header value (From, To, one P-Asserted-Identity entry); params are kept. */
export function normalizeNameAddr(value: string, rule: NormalizeRule, field: NormalizeField): string {
  if (!rule.applyTo.includes(field)) return value;
  const parsed = parseNameAddr(value.trim());
  if (!parsed.ok) return value;
  parsed.value.uri = rewrite(parsed.value.uri, rule, field);
  return formatNameAddr(parsed.value);
}

export interface IdentityFields {
  /** URIs (not header values): Request-URI, From URI, To URI, P-Asserted-Identity URIs. */
  ruri: string;
  from: string;
  to: string;
  /** RFC 3325 allows a sip/sips and a tel identity. */
  pai: readonly string[];
}

/** Apply a rule to the URIs of a request. */
export function normalizeRequest(fields: IdentityFields, rule: NormalizeRule): IdentityFields {
  return {
    ruri: normalizeUri(fields.ruri, rule, 'ruri'),
    from: normalizeUri(fields.from, rule, 'from'),
    to: normalizeUri(fields.to, rule, 'to'),
    pai: fields.pai.map((uri) => normalizeUri(uri, rule, 'pai')),
  };
}
