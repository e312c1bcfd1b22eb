/**
 * drachtio-srf Dialog objects for a call taken over from a dead instance. srf builds a Dialog from
 * the messages that created it (the INVITE and its 200); those are long gone, so they are rebuilt
 * from the call record — only the fields srf's Dialog reads: Call-ID, From/To with tags, Contact,
 * CSeq and the bodies. Everything else (route set, CSeq, flow) lives in the engine, which adopted
 * the same dialogs from the same record (lib/engine/core/dialog-recovery.ts).
 */
import Srf from 'drachtio-srf';
import type { CallLeg } from '../../state/call-record';

/** The (untyped) srf classes a Dialog is assembled from. */
interface SrfMessageCtor {
  new (o: {
    method?: string;
    uri?: string;
    status?: number;
    reason?: string;
    headers: Record<string, string>;
    body: string;
  }): object;
}
interface SrfRequestCtor {
  new (msg: object, meta: Record<string, unknown>): { socket?: unknown; agent?: unknown };
}
interface SrfResponseCtor {
  new (agent: unknown): { msg: object; stackDialogId?: string };
}
interface SrfDialogCtor {
  new (srf: Srf, type: 'uas' | 'uac', opts: { req: object; res: object; sent?: object }): Srf.Dialog;
}
const srfClasses = Srf as unknown as {
  SipMessage: SrfMessageCtor;
  SipRequest: SrfRequestCtor;
  SipResponse: SrfResponseCtor;
  Dialog: SrfDialogCtor;
};

/** Where srf sends a dialog's requests: the control connection the taken-over request came on. */
export interface ControlLink {
  socket: unknown;
  agent: unknown;
}

/** drachtio's dialog id: `<Call-ID>;from-tag=<From tag of the INVITE>`. */
export function appDialogId(leg: CallLeg): string {
  const d = leg.dialog;
  const inviteFromTag = leg.role === 'uac' ? d.localTag : (d.remoteTag ?? '');
  return `${d.callId};from-tag=${inviteFromTag}`;
}

const withTag = (uri: string, tag: string | undefined): string => (tag ? `${uri};tag=${tag}` : uri);
const angle = (uri: string): string => `<${uri}>`;

function message(
  start: { method: string; uri: string } | { status: number; reason: string },
  headers: Record<string, string>,
  body: string | undefined,
): object {
  return new srfClasses.SipMessage({ ...start, headers, body: body ?? '' });
}

/** A Dialog srf accepts as its own for one leg of a taken-over call. */
export function srfDialog(srf: Srf, leg: CallLeg, link: ControlLink): Srf.Dialog {
  const d = leg.dialog;
  const ours = leg.localContact ?? 'sip:palisade.invalid';
  const theirs = leg.remoteTarget ?? 'sip:peer.invalid';
  const localUri = leg.localUri ?? angle(ours);
  const remoteUri = leg.remoteUri ?? angle(theirs);
  const uas = leg.role !== 'uac';
  // uas: we received the INVITE (From = peer); uac: we sent it (From = us).
  const [fromUri, fromTag, toUri, toTag] = uas
    ? [remoteUri, d.remoteTag, localUri, d.localTag]
    : [localUri, d.localTag, remoteUri, d.remoteTag];
  const common = { 'call-id': d.callId, from: withTag(fromUri, fromTag) };
  const invite = message(
    { method: 'INVITE', uri: uas ? ours : theirs },
    {
      ...common,
      to: toUri,
      cseq: `${String((uas ? leg.remoteCseq : leg.localCseq) ?? 1)} INVITE`,
      contact: angle(uas ? theirs : ours),
    },
    uas ? leg.remoteSdp : leg.localSdp,
  );
  const ok = message(
    { status: 200, reason: 'OK' },
    { ...common, to: withTag(toUri, toTag), contact: angle(uas ? ours : theirs) },
    uas ? leg.localSdp : leg.remoteSdp,
  );
  const req = new srfClasses.SipRequest(invite, {});
  req.socket = link.socket;
  req.agent = link.agent;
  const res = new srfClasses.SipResponse(link.agent);
  res.msg = ok;
  res.stackDialogId = appDialogId(leg);
  return new srfClasses.Dialog(srf, uas ? 'uas' : 'uac', uas ? { req, res, sent: ok } : { req, res });
}
