/**
 * The StateStore record of an established call: both legs' dialogs as RFC 3261 §12 defines them
 * (ids, our and the peer's URIs, route sets, CSeqs, remote targets, Contact, the peer's flow), their
 * SDPs and media profiles, the rtpengine anchoring the media and the owner instance — everything a
 * survivor needs to carry the call on after its owner died (takeover/rebuild-call.ts).
 */
import { parseNameAddr, withoutTag } from '../../sip/name-addr';
import { splitList } from '../../sip/split-list';
import { formatUri } from '../../sip/uri';
import type { CallLeg, CallRecord, CallState, PeerAddress } from '../../state/call-record';
import type { Leg } from './leg';
import { sdpVersion } from './sdp-version';

/** The parts of srf's request/response objects a record is cut from. */
interface MessageView {
  get(name: string): string | undefined;
  source_address?: string;
  source_port?: number;
  protocol?: string;
}

interface DialogView {
  type: 'uas' | 'uac';
  req: MessageView;
  res: MessageView;
  sip: { callId: string; localTag: string; remoteTag: string };
  local: { sdp?: string; contact?: string };
  remote: { sdp?: string; uri: string };
}

/** From/To value without its tag parameter (§12.1: the dialog's local/remote URI). */
export function untagged(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const parsed = parseNameAddr(value);
  return parsed.ok ? withoutTag(parsed.value) : undefined;
}

/** URI inside a Contact header value (`<sip:…>;params` → `sip:…`). */
function contactUriOf(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const first = splitList(value)[0];
  const parsed = first === undefined ? undefined : parseNameAddr(first);
  if (!parsed?.ok) return undefined;
  return formatUri(parsed.value.uri);
}

function cseqOf(m: MessageView): number | undefined {
  const n = Number.parseInt(m.get('CSeq') ?? '', 10);
  return Number.isFinite(n) ? n : undefined;
}

function peerOf(m: MessageView): PeerAddress | undefined {
  if (!m.source_address || !m.source_port) return undefined;
  return { transport: (m.protocol ?? 'udp').toLowerCase(), address: m.source_address, port: m.source_port };
}

/** `o` without its undefined-valued keys (no entry arrays: this runs twice per answered call). */
function defined<T extends object>(o: T): T {
  const out: Record<string, unknown> = {};
  for (const key in o) {
    const value = o[key];
    if (value !== undefined) out[key] = value;
  }
  return out as T;
}

/** §12.1.1 (uas: route set = Record-Route in order) / §12.1.2 (uac: reversed, from the 2xx). */
export function legRecord(leg: Leg): CallLeg {
  const d = leg.dialog as unknown as DialogView;
  const uas = d.type === 'uas';
  // uas: req is the INVITE we received; uac: req is the INVITE we sent, res the 2xx it got.
  const rr = (uas ? d.req : d.res).get('Record-Route');
  const routes = rr ? splitList(rr).filter((r) => r !== '') : [];
  const local = sdpVersion(d.local.sdp ?? '');
  const remote = sdpVersion(d.remote.sdp ?? '');
  return defined({
    dialog: { callId: d.sip.callId, localTag: d.sip.localTag, remoteTag: d.sip.remoteTag },
    role: d.type,
    routeSet: uas ? routes : routes.reverse(),
    localCseq: uas ? undefined : cseqOf(d.req),
    remoteCseq: uas ? cseqOf(d.req) : undefined,
    remoteTarget: d.remote.uri,
    localUri: untagged(d.req.get(uas ? 'To' : 'From')),
    remoteUri: untagged(d.req.get(uas ? 'From' : 'To')),
    localContact: contactUriOf(d.local.contact),
    peer: peerOf(uas ? d.req : d.res),
    localSdp: d.local.sdp || undefined,
    remoteSdp: d.remote.sdp || undefined,
    localSdpVersion: local,
    remoteSdpVersion: remote,
    // RFC 4028: the caller's INVITE (uas) or the callee's 2xx (uac) settled the leg's timer.
    sessionExpires: (uas ? d.req : d.res).get('Session-Expires'),
    peerAllow: (uas ? d.req : d.res).get('Allow'),
    mediaProfile: { ...leg.media },
  });
}

export function callRecord(o: {
  id: string;
  owner: string;
  state: CallState;
  trunkIn: string | undefined;
  trunkOut: string | undefined;
  legs: { caller: Leg; callee: Leg };
  media: { callId: string; engine: string } | undefined;
  createdAt: number;
  ringAt: number | undefined;
  answeredAt: number;
  calling: string | undefined;
  called: string | undefined;
  slots: readonly { trunk: string; callId: string }[];
}): CallRecord {
  return defined({
    id: o.id,
    owner: o.owner,
    state: o.state,
    trunkIn: o.trunkIn,
    trunkOut: o.trunkOut,
    inbound: legRecord(o.legs.caller),
    outbound: legRecord(o.legs.callee),
    media: o.media && { rtpengineCallId: o.media.callId, rtpengine: o.media.engine },
    createdAt: o.createdAt,
    ringAt: o.ringAt,
    answeredAt: o.answeredAt,
    calling: o.calling,
    called: o.called,
    slots: o.slots.map((s) => ({ trunk: s.trunk, callId: s.callId })),
  });
}
