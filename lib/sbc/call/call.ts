/**
 * One call: two legs (two dialogs), the rtpengine session anchoring its media, its state record
 * and its media-timeout watch. Ending is idempotent and tears down children first: watchers,
 * the other leg's dialog, media, state, limits — then reports the summary once.
 */
import { randomUuid } from '../../util/random-token';
import { MediaSession } from '../../media/media-session';
import { PassthroughMedia } from '../../media/passthrough-session';
import { oneWayLegs } from '../../media/media-stats';
import { watchMediaTimeout, type FirstCheck, type MediaTimeoutWatch } from '../../media/media-timeout';
import { toError } from '../../util/errors';
import type { Log } from '../../util/logger';
import { LazyChildLog } from '../../util/lazy-child-log';
import { ownString } from '../../util/own-string';
import type { CallContext } from '../pipeline/context';
import { releaseSlots } from '../pipeline/limits';
import type { SbcDeps } from '../sbc-deps';
import type { CallSummary } from './call-observer';
import { callRecord } from './call-record';
import type { Leg, LegName } from './leg';
import { renewSlotLeases, type SlotLease } from './slot-lease';
import { settleAnswered } from './settle-answered';
import { destroyDialog } from './srf-io';

/** State records live this long past their last write; refreshed while the call lasts. */
const RECORD_TTL_SECONDS = 4 * 3600;
/** How long teardown waits for the other legs' BYEs to be answered before the call counts as ended. */
const BYE_SETTLE_MS = 2000;

/** A call another instance set up and Palisade carries on after its owner died (takeover). */
export interface ResumedCall {
  readonly id: string;
  readonly attemptAt: number;
  readonly ringAt: number | undefined;
  readonly answerAt: number;
  readonly trunkOut: string | undefined;
  /** The rtpengine (host:port) that anchors the call's media, when the call has media. */
  readonly engine: { host: string; port: number } | undefined;
}

export class Call {
  readonly id: string;
  /** Passed through when a peer instance forwarded the call and anchors its media. */
  readonly media: MediaSession | PassthroughMedia;
  readonly log: Log;
  readonly attemptAt: number;
  ringAt: number | undefined;
  answerAt: number | undefined;
  legs: { caller: Leg; callee: Leg } | undefined;
  trunkOut: string | undefined;
  private watch: MediaTimeoutWatch | undefined;
  /** A check sharing the media watch's first query, until the watch starts. */
  private firstMediaCheck: FirstCheck | undefined;
  private readonly lease: SlotLease;
  private ending: Promise<void> | undefined;
  private markEnded: () => void = () => undefined;
  /** Resolves once the call has been torn down. */
  readonly ended = new Promise<void>((resolve) => {
    this.markEnded = resolve;
  });

  constructor(
    private readonly deps: SbcDeps,
    readonly ctx: CallContext,
    resumed?: ResumedCall,
  ) {
    this.id = resumed?.id ?? randomUuid();
    this.attemptAt = resumed?.attemptAt ?? Date.now();
    this.ringAt = resumed?.ringAt;
    this.trunkOut = resumed?.trunkOut;
    // an own copy: the header value is a slice that would keep the whole INVITE frame alive
    this.log = new LazyChildLog(deps.log, { call: this.id, sipCallId: ownString(ctx.request.callId) });
    // A forwarded call, or a resumed one that had no media session, passes media through.
    const passThrough = ctx.forwardedBy !== undefined || (resumed !== undefined && !resumed.engine);
    this.media = passThrough
      ? new PassthroughMedia(this.id)
      : new MediaSession({
          callId: this.id,
          engines: deps.media.engines,
          ng: deps.media.ng,
          log: this.log,
          ...(resumed?.engine ? { engine: resumed.engine } : {}),
        });
    this.lease = renewSlotLeases({
      counters: deps.counters,
      holds: ctx.slots,
      trunks: [ctx.sourceTrunk, ctx.destinationTrunk],
      clock: deps.clock,
      log: this.log,
    });
  }

  get trunkIn(): string {
    return this.ctx.sourceTrunk?.name ?? 'registered';
  }

  /** Both legs are up: persist the call and start watching its media. */
  async established(legs: { caller: Leg; callee: Leg }): Promise<void> {
    this.answerAt = Date.now();
    this.deps.observer.answered(
      this.trunkIn,
      this.trunkOut ?? 'registered',
      (this.answerAt - this.attemptAt) / 1000,
    );
    await this.carryOn(legs);
  }

  /** A call taken over from a dead instance: its legs are rebuilt, this instance now drives it. */
  async resume(legs: { caller: Leg; callee: Leg }, answerAt: number): Promise<void> {
    this.answerAt = answerAt;
    this.deps.observer.resumed(this.trunkIn, this.trunkOut ?? 'registered');
    await this.carryOn(legs);
  }

  /** Before the call is established: `check` gets the counters of its first media query. */
  shareFirstMediaCheck(check: FirstCheck): void {
    this.firstMediaCheck = check;
  }

  private async carryOn(legs: { caller: Leg; callee: Leg }): Promise<void> {
    this.legs = legs;
    const first = this.firstMediaCheck;
    this.firstMediaCheck = undefined;
    // The instance anchoring the media watches it (a passed-through call has no counters here).
    this.watch =
      this.media instanceof PassthroughMedia
        ? undefined
        : watchMediaTimeout(
            this.media,
            this.deps.media.checkPace,
            this.deps.media.mediaTimeoutSeconds,
            (e) => {
              this.log.warn({ reason: e.reason }, 'media timeout: ending the call');
              void this.end('system', 'media-timeout');
            },
            { clock: this.deps.clock, log: this.log, first },
          );
    await this.persist();
    // The record has what the setup messages told: let go of them. (Not on the caller's ACK: it
    // may have come during the writes above.)
    settleAnswered(this.ctx, legs);
  }

  async persist(): Promise<void> {
    const legs = this.legs;
    if (!legs || this.answerAt === undefined) return;
    const engine = this.media.engine;
    try {
      await this.deps.state.putCall(
        callRecord({
          id: this.id,
          owner: this.deps.instanceId,
          state: 'answered',
          trunkIn: this.trunkIn,
          trunkOut: this.trunkOut,
          legs,
          media: engine ? { callId: this.id, engine: `${engine.host}:${engine.port}` } : undefined,
          createdAt: this.attemptAt,
          ringAt: this.ringAt,
          answeredAt: this.answerAt,
          calling: this.ctx.identity?.from,
          called: this.ctx.identity?.ruri,
          slots: this.ctx.slots,
        }),
        RECORD_TTL_SECONDS,
      );
    } catch (e) {
      // The call goes on without its record: other instances cannot take it over, nothing else.
      this.log.warn({ err: toError(e).message }, 'call record not written');
    }
  }

  /** End the call (idempotent). `by` is the side that hung up; the other side gets a BYE. */
  end(by: LegName | 'system', reason: string, finalStatus = 200): Promise<void> {
    this.ending ??= this.teardown(by, reason, finalStatus);
    return this.ending;
  }

  private async teardown(by: LegName | 'system', reason: string, finalStatus: number): Promise<void> {
    this.watch?.stop();
    this.lease.stop();
    const byes: Promise<void>[] = [];
    if (this.legs) {
      for (const leg of [this.legs.caller, this.legs.callee]) {
        if (leg.name !== by) {
          const bye = destroyDialog(
            leg.dialog,
            (e) => {
              this.log.debug(
                { leg: leg.name, err: toError(e).message },
                'BYE not sent (dialog already gone)',
              );
            },
            { clock: this.deps.clock, ms: BYE_SETTLE_MS },
          );
          byes.push(bye);
        }
      }
    }
    const stats = await this.media.delete();
    await Promise.allSettled([
      this.deps.state.deleteCall(this.id),
      releaseSlots(this.deps.counters, this.ctx.slots),
    ]);
    const callerTag = this.legs?.caller.media.tag;
    const calleeTag = this.legs?.callee.media.tag;
    const engine = this.media.engine;
    const summary: CallSummary = {
      callId: this.id,
      trunkIn: this.trunkIn,
      trunkOut: this.trunkOut ?? '',
      calling: this.ctx.identity?.from ?? '',
      called: this.ctx.identity?.ruri ?? '',
      attemptAt: this.attemptAt,
      ringAt: this.ringAt,
      answerAt: this.answerAt,
      endAt: Date.now(),
      finalStatus,
      finalReason: reason,
      endedBy: by,
      media:
        stats && engine
          ? {
              aToB: (callerTag ? stats.legs[callerTag]?.fromLeg : undefined) ?? { packets: 0, bytes: 0 },
              bToA: (calleeTag ? stats.legs[calleeTag]?.fromLeg : undefined) ?? { packets: 0, bytes: 0 },
              engine: `${engine.host}:${engine.port}`,
            }
          : undefined,
      oneWay: this.answerAt !== undefined && stats !== undefined && oneWayLegs(stats).length > 0,
      nat: this.ctx.nat && { natted: this.ctx.nat.natted, signals: [...this.ctx.nat.signals] },
    };
    this.deps.observer.ended(summary);
    this.log.info({ by, reason, finalStatus }, 'call ended');
    // `ended` means both legs are released: a draining instance exits on it
    await Promise.all(byes);
    this.markEnded();
  }
}
