/**
 * drachtio-srf 5 finds a header of a parsed message (`get`, `has`, `getParsedHeader`, and the
 * four `has` that every Response makes of its request) with `SipMessage.getHeaderName`: an
 * `Object.keys` array of all header names and a lower-cased copy of each, per lookup. srf makes
 * ≈ 100 such lookups per B2BUA call, most from its own Response objects — ≈ 1 300 short-lived
 * strings and arrays per call on the app thread (bench: allocation sampling of `palisade start`).
 *
 * `installHeaderLookup` gives the prototype a lookup with the same answer (the first own header
 * name, in key order, equal to `hdr` ignoring case) that compares in place: ASCII letters are
 * folded code by code, and a name with any other non-ASCII character falls back to toLowerCase.
 */
import { createRequire } from 'node:module';

interface HeaderHolder {
  headers: Record<string, unknown>;
}
type HeaderNameLookup = (this: HeaderHolder, hdr: string) => string | undefined;

const A = 0x41;
const Z = 0x5a;
const CASE_OFFSET = 0x20;

/** `name.toLowerCase() === lower`, where `lower` is already lower case, without a copy of `name`. */
export function equalsLowerCase(name: string, lower: string): boolean {
  if (name.length !== lower.length) return false;
  for (let i = 0; i < name.length; i++) {
    let c = name.charCodeAt(i);
    if (c > 0x7f) return name.toLowerCase() === lower;
    if (c >= A && c <= Z) c += CASE_OFFSET;
    if (c !== lower.charCodeAt(i)) return false;
  }
  return true;
}

/** The lookup the prototype gets (exported for the equivalence test). */
export const headerNameLookup: HeaderNameLookup = function (this: HeaderHolder, hdr: string) {
  const lower = hdr.toLowerCase();
  const headers = this.headers;
  for (const name in headers) {
    if (Object.prototype.hasOwnProperty.call(headers, name) && equalsLowerCase(name, lower)) return name;
  }
  return undefined;
};

interface SipMessagePrototype {
  getHeaderName?: unknown;
}

let installed = false;

/**
 * Replaces srf's SipMessage.getHeaderName once per process; false (and srf left as it is) when
 * srf's internals no longer have that shape.
 */
export function installHeaderLookup(): boolean {
  if (installed) return true;
  const srfRequire = createRequire(require.resolve('drachtio-srf'));
  const SipMessage = srfRequire('./sip-parser/message') as { prototype?: SipMessagePrototype } | undefined;
  const proto = SipMessage?.prototype;
  if (proto === undefined || typeof proto.getHeaderName !== 'function' || proto.getHeaderName.length !== 1)
    return false;
  proto.getHeaderName = headerNameLookup;
  installed = true;
  return true;
}
