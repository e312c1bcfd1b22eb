/**
 * Who may carry a call on once its owner died (issue 8 §4, docs/adr/0007-mid-call-takeover.md).
 * A request for a dialog no local process holds names the call (its Call-ID and our tag); the
 * record's owner is dead when its instance entry is gone or it does not answer an OPTIONS probe on
 * its internal listener — the entry outlives a kill -9 by up to three heartbeats, and the request
 * is here because the owner's address moved, so waiting for the entry to expire would drop it.
 * Exactly one survivor wins the StateStore claim; it rewrites the record as its own and keeps it
 * here until the app side rebuilds the call (takeClaimed). Concurrent requests of one call share
 * one claim.
 */
import type { CallRecord, StateStore } from '../../state/state-store';
import { callDialogs } from '../../state/call-record';
import { toError } from '../../util/errors';
import type { Log } from '../../util/logger';

/** Same lifetime as records written by Call (refreshed while the call lasts). */
export const TAKEOVER_RECORD_TTL_SECONDS = 4 * 3600;
/** A liveness verdict is reused this long (a takeover of many calls probes once). */
const VERDICT_MS = 5000;
/** A claimed record not picked up by the app by then is dropped (the request never reached it). */
const CLAIM_PICKUP_MS = 60_000;

export interface CallClaimsOptions {
  instanceId: string;
  state: Pick<StateStore, 'findCallByDialog' | 'claimCall' | 'putCall' | 'getInstance'>;
  /** Whether a live instance answers at its internal SIP URI within the timeout. */
  probe(sipUri: string, timeoutMs: number): Promise<boolean>;
  probeTimeoutMs: number;
  now(): number;
  log: Log;
}

const dialogKey = (callId: string, localTag: string): string => `${callId}\u0000${localTag}`;

export class CallClaims {
  private readonly inflight = new Map<string, Promise<CallRecord | undefined>>();
  private readonly claimed = new Map<string, { record: CallRecord; at: number }>();
  private readonly verdicts = new Map<string, { dead: Promise<boolean>; at: number }>();

  constructor(private readonly o: CallClaimsOptions) {}

  /** The call behind (callId, localTag), claimed for this instance; undefined if not ours to take. */
  async claim(callId: string, localTag: string): Promise<CallRecord | undefined> {
    this.prune();
    const held = this.claimed.get(dialogKey(callId, localTag));
    if (held) return held.record;
    const record = await this.o.state.findCallByDialog(callId, localTag);
    if (!record) return undefined;
    let pending = this.inflight.get(record.id);
    if (!pending) {
      pending = this.claimRecord(record).finally(() => this.inflight.delete(record.id));
      this.inflight.set(record.id, pending);
    }
    return pending;
  }

  /** The claimed record a request on (callId, localTag) belongs to; handed out once. */
  takeClaimed(callId: string, localTag: string): CallRecord | undefined {
    const held = this.claimed.get(dialogKey(callId, localTag));
    if (!held) return undefined;
    for (const d of callDialogs(held.record)) this.claimed.delete(dialogKey(d.callId, d.localTag));
    return held.record;
  }

  private async claimRecord(record: CallRecord): Promise<CallRecord | undefined> {
    const self = this.o.instanceId;
    const log = this.o.log.child({ call: record.id, owner: record.owner });
    if (record.owner !== self && !(await this.ownerDead(record.owner))) {
      log.warn('request for a call its live owner carries: not taken over');
      return undefined;
    }
    if (!(await this.o.state.claimCall(record.id, record.owner, self, TAKEOVER_RECORD_TTL_SECONDS))) {
      log.info('call already taken over by another instance');
      return undefined;
    }
    const mine: CallRecord = { ...record, owner: self };
    try {
      await this.o.state.putCall(mine, TAKEOVER_RECORD_TTL_SECONDS);
    } catch (e) {
      // The claim holds; the call goes on here, only a second takeover would miss the new owner.
      log.warn({ err: toError(e).message }, 'taken-over call record not rewritten');
    }
    const entry = { record: mine, at: this.o.now() };
    for (const d of callDialogs(mine)) this.claimed.set(dialogKey(d.callId, d.localTag), entry);
    log.info('call taken over');
    return mine;
  }

  private ownerDead(owner: string): Promise<boolean> {
    const now = this.o.now();
    const cached = this.verdicts.get(owner);
    if (cached && now - cached.at < VERDICT_MS) return cached.dead;
    const dead = this.judge(owner);
    this.verdicts.set(owner, { dead, at: now });
    // A failed lookup is no verdict: the next request asks again.
    dead.catch(() => this.verdicts.delete(owner));
    return dead;
  }

  private async judge(owner: string): Promise<boolean> {
    const entry = await this.o.state.getInstance(owner);
    if (!entry) return true;
    const answered = await this.o.probe(entry.sipUri, this.o.probeTimeoutMs);
    if (!answered) this.o.log.warn({ owner, sipUri: entry.sipUri }, 'owner does not answer: taken for dead');
    return !answered;
  }

  private prune(): void {
    const now = this.o.now();
    for (const [k, v] of this.claimed) if (now - v.at > CLAIM_PICKUP_MS) this.claimed.delete(k);
  }
}
