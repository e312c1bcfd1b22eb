/**
 * Just enough of a SIP datagram to label it in test logs: request method or status code, the
 * CSeq method and the Call-ID. Deliberately independent of lib/sip (test support must not
 * depend on the code under test); tolerant of anything, including non-SIP bytes.
 */

export interface SipPeek {
  /** The start line, or '' for keepalives / garbage. */
  firstLine: string;
  method?: string;
  status?: number;
  /** Method named in CSeq (tells a 200 for INVITE from a 200 for BYE). */
  cseqMethod?: string;
  callId?: string;
}

const REQUEST = /^([A-Za-z]+) \S+ SIP\/2\.0$/;
const RESPONSE = /^SIP\/2\.0 (\d{3})\b/;

export function peekSip(datagram: Buffer): SipPeek {
  const text = datagram.subarray(0, 4096).toString('latin1');
  const end = text.indexOf('\r\n\r\n');
  const lines = (end >= 0 ? text.slice(0, end) : text).split(/\r?\n/);
  const firstLine = (lines[0] ?? '').trim();
  const out: SipPeek = { firstLine };
  const req = REQUEST.exec(firstLine);
  const res = RESPONSE.exec(firstLine);
  if (req?.[1] !== undefined) out.method = req[1].toUpperCase();
  else if (res?.[1] !== undefined) out.status = Number(res[1]);
  for (const line of lines.slice(1, 100)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    if (name === 'cseq') out.cseqMethod = value.split(/\s+/)[1]?.toUpperCase();
    else if (name === 'call-id' || name === 'i') out.callId = value;
  }
  return out;
}

/** `INVITE`, `200 INVITE`, or the first 40 characters of whatever it was. */
export function describeSip(p: SipPeek): string {
  if (p.method !== undefined) return p.method;
  if (p.status !== undefined) return `${p.status} ${p.cseqMethod ?? '?'}`;
  return p.firstLine === '' ? '(empty)' : p.firstLine.slice(0, 40);
}
