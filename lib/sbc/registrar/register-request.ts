/**
 * What a REGISTER says (RFC 3261 §10.2), read from the request as plain data: the AOR (To),
 * the contacts with their expires / q / +sip.instance / reg-id (RFC 5626 §4.2), the Expires
 * header, Path (RFC 3327), Call-ID and CSeq, and the top Via for NAT detection.
 */
import { parseNameAddr, parseVia, formatUri, unquote } from '../../sip';
import type { InboundRequest } from '../pipeline/context';
import type { TopVia } from '../nat/nat-detect';

export interface RequestedContact {
  /** The Contact URI as registered. */
  uri: string;
  /** `expires` parameter, if any. */
  expires: number | undefined;
  q: number | undefined;
  instanceId: string | undefined;
  regId: number | undefined;
}

export interface RegisterFacts {
  to: string;
  callId: string;
  cseq: number;
  /** undefined: no Contact (a fetch, §10.2.3); 'star': `Contact: *` (remove all, §10.2.2). */
  contacts: RequestedContact[] | 'star' | undefined;
  expires: number | undefined;
  path: string[];
  userAgent: string | undefined;
  authorization: string | undefined;
  via: TopVia | undefined;
  /** Supported: outbound (RFC 5626 §4.2.1). */
  supportsOutbound: boolean;
  /** Supported: path (RFC 3327 §5). */
  supportsPath: boolean;
}

export type ReadResult = { ok: true; facts: RegisterFacts } | { ok: false; reason: string };

const deltaSeconds = (text: string | null | undefined): number | undefined => {
  if (text === undefined || text === null || !/^\s*\d{1,10}\s*$/.test(text)) return undefined;
  return Math.min(Number(text), 2 ** 32 - 1);
};

function readContact(value: string): RequestedContact | undefined {
  const parsed = parseNameAddr(value);
  if (!parsed.ok) return undefined;
  const { uri, params } = parsed.value;
  const q = params.get('q');
  const qValue = q === undefined || q === null ? undefined : Number(q);
  const instance = params.get('+sip.instance');
  const regId = params.get('reg-id');
  return {
    uri: formatUri(uri),
    expires: deltaSeconds(params.get('expires')),
    q: qValue !== undefined && qValue >= 0 && qValue <= 1 ? qValue : undefined,
    instanceId: instance === undefined || instance === null ? undefined : unquote(instance),
    regId: regId === undefined || regId === null || !/^\d{1,10}$/.test(regId) ? undefined : Number(regId),
  };
}

function optionTags(req: InboundRequest, header: string): Set<string> {
  return new Set(req.headers.getAll(header).map((t) => t.trim().toLowerCase()));
}

export function readRegister(req: InboundRequest): ReadResult {
  const cseq = /^\s*(\d+)\s+REGISTER\s*$/i.exec(req.headers.get('cseq') ?? '');
  if (!cseq) return { ok: false, reason: 'Bad CSeq' };
  const raw = req.headers.getAll('contact').map((c) => c.trim());
  let contacts: RegisterFacts['contacts'];
  if (raw.length === 0) contacts = undefined;
  else if (raw.some((c) => c === '*')) {
    if (raw.length !== 1) return { ok: false, reason: 'Contact * Must Be Alone' };
    contacts = 'star';
  } else {
    const read = raw.map(readContact);
    if (read.some((c) => c === undefined)) return { ok: false, reason: 'Bad Contact' };
    contacts = read as RequestedContact[];
  }
  const expiresHeader = req.headers.get('expires');
  const expires = deltaSeconds(expiresHeader);
  if (expiresHeader !== undefined && expires === undefined) return { ok: false, reason: 'Bad Expires' };
  const topVia = req.headers.getAll('via')[0];
  const via = topVia === undefined ? undefined : parseVia(topVia);
  const supported = optionTags(req, 'supported');
  return {
    ok: true,
    facts: {
      to: req.to,
      callId: req.callId,
      cseq: Number(cseq[1]),
      contacts,
      expires,
      path: req.headers.getAll('path').map((p) => p.trim()),
      userAgent: req.headers.get('user-agent'),
      authorization: req.headers.get('authorization'),
      via: via?.ok ? via.value : undefined,
      supportsOutbound: supported.has('outbound'),
      supportsPath: supported.has('path'),
    },
  };
}
