/**
 * The REGISTER Palisade sends upstream in relay mode, whether a device's REGISTER caused it or
 * Palisade refreshes / removes the upstream registration by itself (relay-refresher.ts): one
 * Call-ID and From tag per device registration, CSeq rising (RFC 3261 §10.2.4: refreshes keep
 * the Call-ID and increase the CSeq; §10.3 step 7 rejects a lower one), and a Contact per binding
 * — our own with the per-binding token (`contact`) or the device's behind a Path of ours (`path`,
 * RFC 3327) — with `expires=0` for the ones being removed.
 */
import { createHash } from 'node:crypto';
import type { Binding } from '../../state/binding';
import { contactToken } from './contact-token';

export interface RelayOptions {
  upstream: string;
  contactMode: 'contact' | 'path';
  expires: number;
  refreshMarginSeconds: number;
}

const stableId = (...parts: string[]): string =>
  createHash('sha256').update(parts.join('\n')).digest('base64url').slice(0, 22);

/** One upstream Call-ID per device registration (RFC 3261 §10.2.4: refreshes keep the Call-ID). */
export const upstreamCallId = (aor: string, deviceCallId: string): string =>
  `${stableId(aor, deviceCallId)}@palisade`;

export interface UpstreamRegisterInput {
  aor: string;
  /** The upstream Call-ID (upstreamCallId); the From tag follows from it. */
  callId: string;
  cseq: number;
  put: readonly Binding[];
  remove: readonly Binding[];
  /** The device's own Path entries (path mode). */
  path?: readonly string[];
  authorization?: string | undefined;
  userAgent?: string | undefined;
}

/** The CSeq for the next upstream REGISTER: above the device's and above the last one sent. */
export function nextUpstreamCseq(deviceCseq: number, bindings: readonly Binding[], callId: string): number {
  let last = 0;
  for (const b of bindings) if (b.upstream?.callId === callId) last = Math.max(last, b.upstream.cseq);
  return Math.max(deviceCseq, last + 1);
}

export function upstreamHeaders(o: RelayOptions, r: UpstreamRegisterInput): Record<string, string> {
  const t = /;\s*transport=(\w+)/i.exec(o.upstream)?.[1]?.toLowerCase();
  const transportParam = t === undefined || t === 'udp' ? '' : `;transport=${t}`;
  const contacts: string[] = [];
  const paths: string[] = [];
  for (const b of r.put) {
    const token = contactToken(r.aor, b);
    if (o.contactMode === 'contact')
      contacts.push(`<sip:${token}@localhost${transportParam}>;expires=${o.expires}`);
    else {
      contacts.push(`<${b.contact}>;expires=${o.expires}`);
      paths.push(`<sip:${token}@localhost${transportParam};lr>`);
    }
  }
  for (const binding of r.remove) {
    contacts.push(
      o.contactMode === 'contact'
        ? `<sip:${contactToken(r.aor, binding)}@localhost${transportParam}>;expires=0`
        : `<${binding.contact}>;expires=0`,
    );
  }
  const headers: Record<string, string> = {
    From: `<${r.aor}>;tag=${stableId('tag', r.callId).slice(0, 12)}`,
    To: `<${r.aor}>`,
    'Call-ID': r.callId,
    CSeq: `${r.cseq} REGISTER`,
    Contact: contacts.join(', '),
  };
  // The Expires header says the same as the contacts' parameters (removals carry expires=0).
  headers['Expires'] = String(r.put.length > 0 ? o.expires : 0);
  if (paths.length > 0) {
    headers['Path'] = [...paths, ...(r.path ?? [])].join(', ');
    headers['Supported'] = 'path';
  }
  if (r.authorization !== undefined) headers['Authorization'] = r.authorization;
  if (r.userAgent !== undefined) headers['User-Agent'] = r.userAgent;
  return headers;
}
