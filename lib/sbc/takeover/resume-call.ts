/**
 * Rebuild a taken-over call from its record (issue 8 §4): both legs as srf Dialogs, the same
 * rtpengine session (call-id and engine from the record, so media keeps its ports), the concurrent
 * call slots the call holds (renewed from now on by this instance), and the in-dialog relays —
 * then the request that triggered the takeover is handed to its dialog like any other.
 */
import type Srf from 'drachtio-srf';
import type { TrunkConfig } from '../../config';
import type { LegKind, LegMediaProfile } from '../../media/leg-profile';
import { parseNgAddress } from '../../media/ng-address';
import type { CallLeg, CallRecord } from '../../state/call-record';
import { Call } from '../call/call';
import { pairLegs, type Leg } from '../call/leg';
import { wireInDialog } from '../call/wire-in-dialog';
import type { CallContext, InboundRequest, RequestHeaders } from '../pipeline/context';
import type { SbcDeps } from '../sbc-deps';
import { srfDialog, type ControlLink } from './srf-dialogs';

const KINDS: readonly LegKind[] = ['carrier', 'customer-nat', 'customer-public', 'webrtc'];

/** The stored media profile, or the carrier defaults when the record has none usable. */
export function storedProfile(leg: CallLeg): LegMediaProfile {
  const p = leg.mediaProfile;
  const kind =
    typeof p?.kind === 'string' && KINDS.includes(p.kind as LegKind) ? (p.kind as LegKind) : 'carrier';
  const tag =
    typeof p?.tag === 'string' && p.tag !== '' ? p.tag : (leg.dialog.remoteTag ?? leg.dialog.localTag);
  return { ...(p as Partial<LegMediaProfile> | undefined), kind, tag };
}

const NO_HEADERS: RequestHeaders = { get: () => undefined, getAll: () => [], names: () => [] };

/** The caller's INVITE as far as the record knows it: enough for CDR fields and logs. */
function originalRequest(rec: CallRecord): InboundRequest {
  const leg = rec.inbound;
  return {
    method: 'INVITE',
    uri: rec.called ?? '',
    from: leg.remoteUri ?? '',
    to: leg.localUri ?? '',
    callId: leg.dialog.callId,
    headers: NO_HEADERS,
    source: {
      address: leg.peer?.address ?? '',
      port: leg.peer?.port ?? 0,
      transport: (leg.peer?.transport ?? 'udp') as InboundRequest['source']['transport'],
    },
  };
}

function contextOf(rec: CallRecord, trunk: (name: string) => TrunkConfig | undefined): CallContext {
  const source = rec.trunkIn === undefined ? undefined : trunk(rec.trunkIn);
  const destination = rec.trunkOut === undefined ? undefined : trunk(rec.trunkOut);
  return {
    request: originalRequest(rec),
    identity: { ruri: rec.called ?? '', from: rec.calling ?? '', to: rec.called ?? '', pai: [] },
    ...(source ? { sourceTrunk: source } : {}),
    ...(destination ? { destinationTrunk: destination } : {}),
    slots: (rec.slots ?? []).map((s) => ({ trunk: s.trunk, callId: s.callId })),
  };
}

export interface ResumeOptions {
  srf: Srf;
  record: CallRecord;
  link: ControlLink;
  trunk: (name: string) => TrunkConfig | undefined;
}

/** The rebuilt, established call and its two legs (added to srf, wired, persisted as ours). */
export async function resumeCall(
  deps: SbcDeps,
  o: ResumeOptions,
): Promise<{ call: Call; legs: { caller: Leg; callee: Leg } } | undefined> {
  const rec = o.record;
  if (!rec.outbound || rec.answeredAt === undefined) return undefined;
  const call = new Call(deps, contextOf(rec, o.trunk), {
    id: rec.id,
    attemptAt: rec.createdAt,
    ringAt: rec.ringAt,
    answerAt: rec.answeredAt,
    trunkOut: rec.trunkOut,
    engine: rec.media ? parseNgAddress(rec.media.rtpengine) : undefined,
  });
  const legs = pairLegs(
    { dialog: srfDialog(o.srf, rec.inbound, o.link), media: storedProfile(rec.inbound) },
    { dialog: srfDialog(o.srf, rec.outbound, o.link), media: storedProfile(rec.outbound) },
  );
  legs.caller.sdp = rec.inbound.remoteSdp ?? '';
  legs.callee.sdp = rec.outbound.remoteSdp ?? '';
  const registry = o.srf as unknown as { addDialog(d: Srf.Dialog): void };
  registry.addDialog(legs.caller.dialog);
  registry.addDialog(legs.callee.dialog);
  wireInDialog(deps, call, legs);
  await call.resume(legs, rec.answeredAt);
  return { call, legs };
}
