/**
 * RFC 4028 §7.4 on the callee's leg: a 422 (Session Interval Too Small) to the INVITE we sent with
 * Session-Expires carries the gateway's Min-SE; the INVITE goes again, once, to the same gateway
 * with Session-Expires and Min-SE raised to that value (the refresher role kept), and — as §7.4
 * asks — the same Call-ID, From (tag) and To with the next CSeq number. Pure.
 */
import type { OutboundInvite } from './outbound-request';

/** What a 422 tells us: the gateway's Min-SE and the identifiers of the refused INVITE. */
export interface Refused422 {
  minSe: number | undefined;
  callId: string | undefined;
  from: string | undefined;
  cseq: number | undefined;
}

function headerKey(headers: Record<string, string>, name: string): string | undefined {
  return Object.keys(headers).find((k) => k.toLowerCase() === name.toLowerCase());
}

function setHeader(headers: Record<string, string>, name: string, value: string): void {
  headers[headerKey(headers, name) ?? name] = value;
}

/** The INVITE to retry after a 422, or undefined when none would help. */
export function retryAfter422(invite: OutboundInvite, refused: Refused422): OutboundInvite | undefined {
  const { minSe } = refused;
  const seKey = headerKey(invite.headers, 'Session-Expires');
  if (minSe === undefined || seKey === undefined) return undefined;
  const current = /^\s*(\d+)(.*)$/.exec(invite.headers[seKey] ?? '');
  if (!current?.[1] || Number(current[1]) >= minSe) return undefined;
  // Object.assign, not a spread: keys added to a spread copy get a V8 hidden class per object.
  const headers: Record<string, string> = Object.assign({}, invite.headers);
  headers[seKey] = `${minSe}${current[2] ?? ''}`;
  setHeader(headers, 'Min-SE', String(minSe));
  if (refused.callId !== undefined && refused.from !== undefined && refused.cseq !== undefined) {
    setHeader(headers, 'Call-ID', refused.callId);
    setHeader(headers, 'From', refused.from);
    setHeader(headers, 'CSeq', `${refused.cseq + 1} INVITE`);
  }
  return { uri: invite.uri, headers };
}

const numberIn = (value: string | undefined): number | undefined => {
  const m = /^\s*(\d+)/.exec(value ?? '');
  return m?.[1] === undefined ? undefined : Number(m[1]);
};

/** Reads a 422 failure: srf attaches the response to its SipError as `err.res`. */
export function refused422(err: unknown): Refused422 {
  const res = (err as { res?: { get?: (h: string) => string | undefined } } | undefined)?.res;
  const get = (name: string): string | undefined =>
    typeof res?.get === 'function' ? res.get(name) : undefined;
  return {
    minSe: numberIn(get('Min-SE')),
    callId: get('Call-ID'),
    from: get('From'),
    cseq: numberIn(get('CSeq')),
  };
}
