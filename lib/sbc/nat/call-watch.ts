/**
 * ALG evidence gathered during an answered call (issue 7 point 6):
 *   (d) the caller's in-dialog requests (ACK, re-INVITE, UPDATE, INFO, BYE) must carry the
 *       signed Contact parameter Palisade sent (signed-contact.ts) — checked once per call;
 *   (e) a caller whose signalling looked public: a few seconds after answer rtpengine is asked
 *       where the caller's RTP really comes from (the media-timeout watch's first query, moved
 *       earlier and shared); another port than its SDP said means a NAT remapped the port while
 *       an ALG made the SDP look untouched;
 *   callee side: a registered device's 2xx (Contact, SDP) against its flow's source
 *       (response-alg.ts).
 * Only listens; it never answers requests (the call's own handlers do) and never ends calls.
 */
import type Srf from 'drachtio-srf';
import type { Log } from '../../util/logger';
import type { MediaStats } from '../../media/media-stats';
import type { FirstCheck } from '../../media/media-timeout';
import type { CallContext } from '../pipeline/context';
import type { Binding } from '../../state/binding';
import { mediaLatchFinding, signedParamFinding } from './alg-detect';
import type { NatDetector } from './nat-detect';
import { responseAlgFindings } from './response-alg';
import type { AlgMonitor } from './alg-monitor';
import { sdpAddresses } from './sdp-addresses';
import { checkReturnedUri, signedContact } from './signed-contact';
import type { TokenSecret } from './signed-token';

/** The parts of a Call this needs. */
export interface WatchedCall {
  readonly ctx: CallContext;
  readonly log: Log;
  /** The media check rides on the call's media-timeout watch (its first query). */
  shareFirstMediaCheck(check: FirstCheck): void;
}

export interface WatchedLeg {
  readonly dialog: Srf.Dialog;
  readonly media: { tag: string };
}

export interface CallWatchOptions {
  secret: TokenSecret;
  alg: AlgMonitor;
  /** Delay after answer before asking rtpengine about the caller's RTP source. */
  mediaCheckMs: number;
  /** NAT detection as configured (callee-side checks; absent: those are skipped). */
  detector?: NatDetector | undefined;
}

/** The parts of srf's UAC dialog read here: the device's final response. */
interface AnsweredDialog {
  res?: { get(name: string): string | undefined; body?: string };
}

const IN_DIALOG_EVENTS = ['ack', 'modify', 'update', 'info', 'destroy'] as const;

interface DialogView {
  local: { uri?: string };
  on(event: string, listener: (req: { uri?: string; method?: string }) => void): void;
}

export class NatCallWatch {
  constructor(private readonly o: CallWatchOptions) {}

  /** The Contact for our responses to this caller (the engine fills in host and port). */
  contactFor(ctx: CallContext): string {
    return signedContact(this.o.secret, ctx.request.callId);
  }

  /** The call is answered: watch the caller's dialog and schedule the media check. */
  established(call: WatchedCall, caller: WatchedLeg): void {
    this.watchSignedContact(call, caller);
    if (call.ctx.nat?.natted === false) this.scheduleMediaCheck(call, caller);
  }

  /**
   * A registered device answered over its own flow (not through another instance): its 2xx
   * Contact and SDP against the flow's source address.
   */
  deviceAnswered(call: WatchedCall, device: Binding, dialog: unknown): void {
    const detector = this.o.detector;
    const res = (dialog as AnsweredDialog).res;
    if (detector === undefined || res === undefined) return;
    const userAgent = res.get('User-Agent') ?? res.get('Server') ?? device.userAgent;
    const contact = res.get('Contact');
    const client = device.flow.sourceAddress;
    const findings = responseAlgFindings(
      { source: client, contacts: contact === undefined ? [] : [contact], sdp: res.body, userAgent },
      detector,
    );
    this.o.alg.observe(client, findings, {
      identity: device.aor,
      userAgent,
      callId: call.ctx.request.callId,
    });
  }

  private watchSignedContact(call: WatchedCall, caller: WatchedLeg): void {
    const d = caller.dialog as unknown as DialogView;
    const client = call.ctx.request.source.address;
    let done = false;
    const check = (req: { uri?: string; method?: string; meta?: { source?: string } }): void => {
      // a BYE the engine sent for the caller (ACK timeout, session expiry) is no request of theirs
      if (done || typeof req.uri !== 'string' || req.meta?.source === 'application') return;
      const result = checkReturnedUri(this.o.secret, call.ctx.request.callId, req.uri, d.local.uri);
      done = true; // one verdict per call is enough evidence
      const finding = signedParamFinding(result.ok, `${req.method ?? 'request'} Request-URI`);
      if (finding === undefined || result.ok) return;
      call.log.info({ client, why: result.why }, 'signed Contact parameter came back altered');
      this.o.alg.observe(client, [{ ...finding, detail: result.why }], {
        identity: call.ctx.identity?.from,
        callId: call.ctx.request.callId,
      });
    };
    for (const event of IN_DIALOG_EVENTS) d.on(event, check);
  }

  private scheduleMediaCheck(call: WatchedCall, caller: WatchedLeg): void {
    const sdp = call.ctx.request.body;
    const sdpPort = sdp === undefined ? 0 : (sdpAddresses(sdp).media[0]?.port ?? 0);
    if (sdpPort === 0) return;
    call.shareFirstMediaCheck({
      delayMs: this.o.mediaCheckMs,
      consume: (stats) => {
        this.checkMedia(call, caller, sdpPort, stats);
      },
    });
  }

  private checkMedia(call: WatchedCall, caller: WatchedLeg, sdpPort: number, stats: MediaStats): void {
    const leg = stats.legs[caller.media.tag];
    if (leg?.endpoint === undefined || leg.fromLeg.packets === 0) return;
    const finding = mediaLatchFinding({ signallingNatted: false, sdpPort, latchedPort: leg.endpoint.port });
    if (finding === undefined) return;
    const client = call.ctx.request.source.address;
    this.o.alg.observe(client, [finding], {
      identity: call.ctx.identity?.from,
      callId: call.ctx.request.callId,
    });
  }
}
