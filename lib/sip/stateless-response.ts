/**
 * Stateless responses (RFC 3261 §8.2.6, §16.11, §18.2.1 style): copy every Via (in order),
 * From, To (adding a tag when absent and the status is not 100), Call-ID and CSeq, then
 * Content-Length: 0. The To tag is derived from the request so retransmissions get the same one.
 */
import type { SipParseError, StatelessInfo } from './errors';
import { reasonPhrase } from './reason-phrases';
import type { SipRequest } from './request';
import { statelessInfoOf } from './validate';

export interface StatelessResponseOptions {
  readonly reason?: string;
  readonly toTag?: string;
  /** extra header fields, e.g. [['Allow', 'INVITE, ACK']] or [['Unsupported', 'foo']] */
  readonly headers?: readonly (readonly [string, string])[];
}

const HAS_TAG = /;\s*tag\s*=/i;

/** FNV-1a over the transaction identifiers: same request → same tag. */
function derivedTag(info: StatelessInfo): string {
  const s = `${info.callId ?? ''}|${info.vias[0] ?? ''}|${info.cseq ?? ''}|${info.from ?? ''}`;
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return `pal${h.toString(16)}`;
}

function toWithTag(to: string, status: number, info: StatelessInfo, tag: string | undefined): string {
  if (status === 100) return to;
  const afterUri = to.lastIndexOf('>');
  if (HAS_TAG.test(afterUri >= 0 ? to.slice(afterUri) : to)) return to;
  return `${to};tag=${tag ?? derivedTag(info)}`;
}

export function buildStatelessResponse(
  info: StatelessInfo,
  status: number,
  opts: StatelessResponseOptions = {},
): Buffer {
  let out = `SIP/2.0 ${status} ${opts.reason ?? reasonPhrase(status)}\r\n`;
  for (const v of info.vias) out += `Via: ${v}\r\n`;
  if (info.from !== undefined) out += `From: ${info.from}\r\n`;
  if (info.to !== undefined) out += `To: ${toWithTag(info.to, status, info, opts.toTag)}\r\n`;
  if (info.callId !== undefined) out += `Call-ID: ${info.callId}\r\n`;
  if (info.cseq !== undefined) out += `CSeq: ${info.cseq}\r\n`;
  for (const [name, value] of opts.headers ?? []) out += `${name}: ${value}\r\n`;
  out += 'Content-Length: 0\r\n\r\n';
  return Buffer.from(out, 'utf8');
}

/** Response bytes for a parse/validation failure, or undefined when it must not be answered. */
export function errorResponse(e: SipParseError, opts: StatelessResponseOptions = {}): Buffer | undefined {
  if (e.kind !== 'request' || e.sipStatus === undefined || e.info === undefined) return undefined;
  if (e.info.vias.length === 0) return undefined; // nowhere to send it (§18.2.2)
  return buildStatelessResponse(e.info, e.sipStatus, opts);
}

/** Stateless response to a parsed request (e.g. the outcome of checkRequest). */
export function responseTo(req: SipRequest, status: number, opts: StatelessResponseOptions = {}): Buffer {
  return buildStatelessResponse(statelessInfoOf(req), status, opts);
}
