/**
 * The media of one B2BUA call in rtpengine. The engine is chosen once, at the first offer, from
 * the pool's live engines; if that engine fails to answer, the next live one is tried. After
 * that the call stays on its engine for its whole life (re-INVITE, UPDATE, hold/resume reuse the
 * same call-id and leg tags, so rtpengine keeps the same ports). delete() is idempotent.
 */
import type { Log } from '../util/logger';
import { MediaError, isMediaError } from './media-error';
import { parseQueryReply, type MediaStats } from './media-stats';
import { formatNgAddress, type NgAddress } from './ng-address';
import { answerFlags, offerFlags } from './ng-flags';
import type { NgCommander, NgDeleteRequest, NgOfferRequest } from './ng-message';
import { replySdp } from './ng-reply';
import type { LegMediaProfile } from './leg-profile';
import type { PoolEngine } from './rtpengine-pool';

/** Where new calls may go, best first (RtpenginePool.candidates). */
export interface EngineCandidates {
  candidates(): PoolEngine[];
}

export interface MediaSessionOptions {
  /** rtpengine call-id for the whole call (both legs). */
  callId: string;
  engines: EngineCandidates;
  ng: NgCommander;
  log: Log;
  /** Resume a session another instance started (from the state store). */
  engine?: NgAddress;
}

export class MediaSession {
  readonly callId: string;
  private engineAddress: NgAddress | undefined;
  /** A tag rtpengine knows: delete with a from-tag returns the call's final counters. */
  private knownTag: string | undefined;
  private closing: Promise<MediaStats | undefined> | undefined;
  /**
   * Engines whose first offer timed out: rtpengine may still have created the call (a late reply
   * we no longer wait for) and would hold its ports until its own no-media timeout, so delete()
   * releases the call-id there too.
   */
  private readonly unanswered: NgAddress[] = [];

  constructor(private readonly o: MediaSessionOptions) {
    this.callId = o.callId;
    this.engineAddress = o.engine;
  }

  /** The engine carrying this call, once the first offer succeeded. */
  get engine(): NgAddress | undefined {
    return this.engineAddress;
  }

  get closed(): boolean {
    return this.closing !== undefined;
  }

  /** Rewrites `from`'s offer SDP for `to`; returns the SDP to send to `to`. */
  async offer(sdp: string, from: LegMediaProfile, to: LegMediaProfile): Promise<string> {
    this.assertOpen('offer');
    const req = offerFlags(from, to, { callId: this.callId, sdp });
    this.knownTag ??= from.tag;
    if (this.engineAddress)
      return replySdp('offer', this.engineAddress, await this.o.ng.offer(this.engineAddress, req));
    return this.firstOffer(req);
  }

  /** Rewrites `from`'s answer to `to`'s offer; returns the SDP to send to `to`. */
  async answer(sdp: string, from: LegMediaProfile, to: LegMediaProfile): Promise<string> {
    const engine = this.requireEngine('answer');
    const req = answerFlags(from, to, { callId: this.callId, sdp });
    return replySdp('answer', engine, await this.o.ng.answer(engine, req));
  }

  /** Per-leg packet counters; MEDIA_UNKNOWN_CALL once rtpengine has ended the call. */
  async query(): Promise<MediaStats> {
    const engine = this.requireEngine('query');
    return parseQueryReply(await this.o.ng.query(engine, { 'call-id': this.callId }));
  }

  /**
   * Releases the call in rtpengine (no delete delay) and returns its final counters when the
   * engine still knew it. Idempotent; never throws: teardown must go on.
   */
  delete(): Promise<MediaStats | undefined> {
    this.closing ??= this.release();
    return this.closing;
  }

  private async release(): Promise<MediaStats | undefined> {
    const engine = this.engineAddress;
    const strays = this.unanswered.filter((e) => e !== engine);
    if (strays.length > 0) await Promise.all(strays.map((e) => this.releaseStray(e)));
    if (!engine) return undefined;
    try {
      // Two literals, not `{ ...req, 'from-tag' }` (a hidden class per call in V8 11).
      const req: NgDeleteRequest = this.knownTag
        ? { 'call-id': this.callId, 'delete-delay': 0, 'from-tag': this.knownTag }
        : { 'call-id': this.callId, 'delete-delay': 0 };
      const reply = await this.o.ng.delete(engine, req);
      // Without `fatal`, an unknown call is "ok" with a warning and no counters.
      return reply.tags === undefined ? undefined : parseQueryReply(reply);
    } catch (e) {
      const level = isMediaError(e) && e.code === 'MEDIA_UNKNOWN_CALL' ? 'debug' : 'warn';
      this.o.log[level]({ err: e, callId: this.callId }, 'rtpengine delete failed');
      return undefined;
    }
  }

  /** Best effort: the call may not exist there (MEDIA_UNKNOWN_CALL is the usual answer). */
  private async releaseStray(engine: NgAddress): Promise<void> {
    try {
      await this.o.ng.delete(engine, { 'call-id': this.callId, 'delete-delay': 0 });
    } catch (e) {
      this.o.log.debug(
        { err: e, engine: formatNgAddress(engine), callId: this.callId },
        'rtpengine delete after a timed-out offer failed',
      );
    }
  }

  private async firstOffer(req: NgOfferRequest): Promise<string> {
    const candidates = this.o.engines.candidates();
    let lastFailure: MediaError | undefined;
    for (const c of candidates) {
      try {
        const sdp = replySdp('offer', c.ng, await this.o.ng.offer(c.ng, req));
        this.engineAddress = c.ng;
        return sdp;
      } catch (e) {
        if (!isMediaError(e) || !e.engineFailed) throw e;
        if (e.code === 'MEDIA_ENGINE_TIMEOUT') this.unanswered.push(c.ng);
        lastFailure = e;
        this.o.log.warn(
          { err: e, engine: formatNgAddress(c.ng), callId: this.callId },
          'rtpengine failed at offer; trying the next',
        );
      }
    }
    const why = lastFailure
      ? `every live rtpengine failed, last: ${lastFailure.message}`
      : 'no rtpengine is up';
    throw new MediaError('MEDIA_NO_ENGINE', why, { cause: lastFailure });
  }

  private assertOpen(what: string): void {
    if (this.closing)
      throw new MediaError('MEDIA_SESSION_CLOSED', `${what} on deleted media session ${this.callId}`);
  }

  private requireEngine(what: string): NgAddress {
    this.assertOpen(what);
    if (!this.engineAddress)
      throw new MediaError('MEDIA_UNKNOWN_CALL', `${what} before any offer on ${this.callId}`);
    return this.engineAddress;
  }
}
