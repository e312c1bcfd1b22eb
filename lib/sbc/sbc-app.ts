/**
 * The B2BUA application on drachtio-srf: every INVITE goes through the pipeline (classify →
 * security → route), accepted ones become a Call bridged to the destination; OPTIONS pings to
 * the SBC itself are answered (503 while draining). Talks to its SIP engine only through srf.
 */
import type Srf from 'drachtio-srf';
import { toError } from '../util/errors';
import { Call } from './call/call';
import { connectCall } from './call/connect';
import { inboundRequest } from './call/inbound-request';
import { maxForwardsOf } from './call/outbound-request';
import { sendResponse } from './call/srf-io';
import { newCallContext, type CallContext } from './pipeline/context';
import { admitInvite } from './peer/forwarded-admission';
import { InstanceForwarding } from './peer/instance-forwarding';
import { attachRegistrar, foldHeaders } from './registrar/srf-registrar';
import type { SbcDeps } from './sbc-deps';
import { takeoverMiddleware } from './takeover/takeover-middleware';

export class SbcApp {
  private readonly calls = new Set<Call>();
  /** The state backend's last reported health: new calls are refused while it is down. */
  private stateUp = true;
  /** Set once draining (issue 8 §5): the Retry-After to send with the 503 for new calls. */
  private drainRetryAfter: (() => number) | undefined;

  constructor(private readonly deps: SbcDeps) {
    deps.state.onHealth((h) => {
      this.stateUp = h.up;
    });
  }

  private mediaSaturated(): boolean {
    const { maxReplyDelayMs: max = 0, backlog } = this.deps.media;
    return max > 0 && backlog !== undefined && backlog.standingDelayMs() > max;
  }

  get activeCalls(): number {
    return this.calls.size;
  }

  attach(srf: Srf): void {
    const takeover = this.deps.takeover;
    if (takeover) {
      // Before the INVITE handler: a re-INVITE of a taken-over call is no new call.
      const middleware = takeoverMiddleware(this.deps, srf, {
        ...takeover,
        adopt: (call) => {
          this.calls.add(call);
          void call.ended.then(() => this.calls.delete(call));
        },
      });
      srf.use((req, res, next) => {
        middleware(req, res, next as () => void);
      });
    }
    srf.invite((req, res) => {
      this.onInvite(srf, req, res).catch((e: unknown) => {
        this.deps.log.error({ err: toError(e) }, 'INVITE handling failed');
        sendResponse(res, 500);
      });
    });
    srf.use('options', (_req, res) => {
      // Draining: 503 + Retry-After (RFC 3261 §21.5.4) so OPTIONS-based gateway monitoring
      // takes this instance out of rotation; 200 otherwise.
      if (this.drainRetryAfter) {
        sendResponse(res, 503, {
          reason: 'Draining',
          headers: { 'Retry-After': String(this.drainRetryAfter()) },
        });
      } else sendResponse(res, 200);
    });
    if (this.deps.registrar) attachRegistrar(srf, this.deps.registrar, this.deps.log);
  }

  /** Graceful drain: refuse new INVITEs from now on; established calls and their dialogs go on. */
  startDraining(retryAfterSeconds: () => number): void {
    this.drainRetryAfter = retryAfterSeconds;
  }

  /**
   * Draining, a peer's forwarded INVITE for a device whose flow is held here is still delivered:
   * it is a call to an existing registration, not new load (ADR 0006); admission verifies it.
   */
  private deliversWhileDraining(ctx: CallContext): boolean {
    return this.deps.forwarding !== undefined && InstanceForwarding.claimsForwarded(ctx.request);
  }

  /** The registrar, for its lifecycle (expiry sweeper). */
  get registrar(): SbcDeps['registrar'] {
    return this.deps.registrar;
  }

  /** End every call (shutdown / drain deadline). */
  async endAll(reason: string): Promise<void> {
    await Promise.all([...this.calls].map((c) => c.end('system', reason)));
  }

  private async onInvite(srf: Srf, req: Srf.SrfRequest, res: Srf.SrfResponse): Promise<void> {
    const ctx = newCallContext(inboundRequest(req));
    if (maxForwardsOf(ctx) === 0) {
      this.deps.observer.rejected('loop', 483);
      sendResponse(res, 483);
      return;
    }
    if (this.drainRetryAfter && !this.deliversWhileDraining(ctx)) {
      // RFC 3261 §21.5.4: 503 with Retry-After; the caller retries another instance meanwhile.
      this.deps.observer.rejected('draining', 503);
      sendResponse(res, 503, {
        reason: 'Draining',
        headers: { 'Retry-After': String(this.drainRetryAfter()) },
      });
      return;
    }
    if (!this.stateUp) {
      // Issue 6 §5: without the StateStore a call could be neither recorded nor limited; refuse it
      // cleanly (RFC 3261 §21.5.4) and let the caller retry here later or elsewhere.
      this.deps.observer.rejected('state', 503);
      sendResponse(res, 503, { reason: 'State Backend Unavailable', headers: { 'Retry-After': '5' } });
      return;
    }
    if (this.mediaSaturated()) {
      // Overloaded (issue 6 "overload"): refuse before any offer, so the replies of calls already
      // admitted get read before their ng commands time out.
      this.deps.observer.rejected('media-backlog', 503);
      sendResponse(res, 503, { reason: 'Overloaded', headers: { 'Retry-After': '2' } });
      return;
    }
    // A peer instance's forwarded call is admitted by its signature, anything else by the pipeline.
    const outcome = await admitInvite(this.deps, ctx);
    if (outcome.kind === 'rejected') {
      const { status, reason, headers } = outcome.rejection;
      this.deps.observer.rejected(outcome.stage, status);
      this.deps.log.info(
        { stage: outcome.stage, status, source: ctx.request.source.address },
        'call rejected',
      );
      // foldHeaders: repeated headers (e.g. one Proxy-Authenticate per digest algorithm) all go out.
      sendResponse(res, status, { reason, ...(headers ? { headers: foldHeaders(headers) } : {}) });
      return;
    }
    const call = new Call(this.deps, ctx);
    this.deps.observer.attempt(call.trunkIn);
    this.calls.add(call);
    try {
      await connectCall(this.deps, srf, call, req, res);
    } finally {
      void call.ended.then(() => this.calls.delete(call));
    }
  }
}
