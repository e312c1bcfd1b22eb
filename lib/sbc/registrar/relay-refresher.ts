/**
 * Relay mode's own upstream refreshes (issue 7 point 3, registration caching): the upstream
 * registration of each cached binding is refreshed by Palisade `refreshMarginSeconds` before it
 * runs out, whether or not the device sends another REGISTER meanwhile, and removed upstream
 * (`expires=0`) when the device's binding ends by expiry — so the PBX neither loses a live
 * device nor keeps routing calls to a dead one.
 *
 * One timer per binding, on the instance that last wrote it (the BindingObserver `bound` event).
 * Everything a refresh needs (Call-ID, CSeq, contact token, Path) is in the binding in the
 * StateStore, so any instance can do it: when the timer fires the binding is read back, and if
 * another instance (or a device REGISTER) already extended the upstream registration the timer
 * is merely set again; each timer fires up to 5 s (at most a quarter of the margin) late, at
 * random, so two instances holding a timer for one binding rarely both refresh. Expiry is reported by whichever instance sweeps, which then sends the
 * removal. Palisade has no device password: an upstream that challenges a refresh (401/407)
 * gets the next device REGISTER instead (the cached entry is marked due, so it goes up with the
 * device's credentials).
 */
import { bindingKey, type Binding, type BindingStore } from '../../state/binding';
import type { Clock, TimerHandle } from '../../util/clock';
import { toError } from '../../util/errors';
import type { Log } from '../../util/logger';
import type { BindingObserver } from './binding-observer';
import { nextUpstreamCseq, upstreamHeaders, type RelayOptions } from './relay-upstream';
import { grantedSeconds, type UpstreamSender } from './upstream';
import { contactToken } from './contact-token';

/** After a failed refresh (timeout, 5xx) try again this soon, while the registration lasts. */
const RETRY_MS = 30_000;
/** Timers fire up to this much (or a quarter of the margin) after `expiry − margin`. */
const MAX_JITTER_MS = 5000;

export const REFRESH_EVENTS = ['refreshed', 'challenged', 'failed', 'removed', 'remove-failed'] as const;
export type RefreshEvent = (typeof REFRESH_EVENTS)[number];

export interface RelayRefresherDeps {
  store: BindingStore;
  sender: UpstreamSender;
  options: RelayOptions;
  clock: Clock;
  /** Epoch milliseconds. */
  now: () => number;
  log: Log;
  /** Told of each upstream refresh or removal Palisade made by itself. */
  onEvent?: (e: RefreshEvent) => void;
  /** 0..1, for the timer's jitter (default Math.random). */
  random?: () => number;
}

export class RelayRefresher implements BindingObserver {
  private readonly timers = new Map<string, TimerHandle>();

  constructor(private readonly d: RelayRefresherDeps) {}

  bound(b: Binding): void {
    if (b.upstream === undefined) return;
    const margin = this.d.options.refreshMarginSeconds * 1000;
    const jitter = (this.d.random ?? Math.random)() * Math.min(margin / 4, MAX_JITTER_MS);
    this.schedule(b.aor, bindingKey(b), b.upstream.expiresAt - margin + jitter);
  }

  unbound(b: Binding, reason: 'expired' | 'removed' | 'replaced'): void {
    this.cancel(b.aor, bindingKey(b));
    // A device's un-REGISTER went upstream with it; an expired binding is removed here.
    if (reason === 'expired' && b.upstream !== undefined && b.upstream.expiresAt > this.d.now())
      void this.removeUpstream(b);
  }

  /** Number of bindings with a refresh timer (diagnostics, tests). */
  get scheduled(): number {
    return this.timers.size;
  }

  stop(): void {
    for (const t of this.timers.values()) t.cancel();
    this.timers.clear();
  }

  private schedule(aor: string, key: string, at: number): void {
    this.cancel(aor, key);
    const id = `${aor}\n${key}`;
    const delay = Math.max(0, at - this.d.now());
    this.timers.set(
      id,
      this.d.clock.setTimer(delay, () => {
        this.timers.delete(id);
        void this.refresh(aor, key);
      }),
    );
  }

  private cancel(aor: string, key: string): void {
    const id = `${aor}\n${key}`;
    this.timers.get(id)?.cancel();
    this.timers.delete(id);
  }

  /** Refresh the upstream registration of one binding (and of the others sharing its Call-ID). */
  async refresh(aor: string, key: string): Promise<void> {
    try {
      const bindings = await this.d.store.getBindings(aor);
      const b = bindings.find((x) => bindingKey(x) === key);
      const up = b?.upstream;
      if (b === undefined || up === undefined) return; // gone: nothing to keep alive
      const margin = this.d.options.refreshMarginSeconds * 1000;
      const now = this.d.now();
      if (up.expiresAt - now > margin) {
        this.schedule(aor, key, up.expiresAt - margin); // refreshed elsewhere meanwhile
        return;
      }
      const group = bindings.filter((x) => x.upstream?.callId === up.callId);
      const cseq = nextUpstreamCseq(0, bindings, up.callId);
      const res = await this.d.sender.register({
        uri: this.d.options.upstream,
        headers: upstreamHeaders(this.d.options, {
          aor,
          callId: up.callId,
          cseq,
          put: group,
          remove: [],
          path: b.path,
          userAgent: b.userAgent,
        }),
      });
      if (res.status >= 200 && res.status < 300) {
        for (const x of group) {
          const seconds = grantedSeconds(res, this.ourContact(x), this.d.options.expires);
          const next = {
            ...x,
            upstream: { ...up, contact: contactToken(aor, x), cseq, expiresAt: now + seconds * 1000 },
          };
          await this.d.store.putBinding(next);
          this.bound(next);
        }
        this.d.onEvent?.('refreshed');
        this.d.log.debug({ aor, bindings: group.length, cseq }, 'upstream registration refreshed');
        return;
      }
      if (res.status === 401 || res.status === 407) {
        // Marked due: the device's next REGISTER goes up with its own credentials.
        for (const x of group)
          await this.d.store.putBinding({ ...x, upstream: { ...up, cseq, expiresAt: now } });
        this.d.onEvent?.('challenged');
        this.d.log.info(
          { aor, status: res.status },
          'upstream challenged our refresh; waiting for the device',
        );
        return;
      }
      this.d.onEvent?.('failed');
      this.d.log.warn({ aor, status: res.status }, 'upstream refresh failed; retrying');
      if (up.expiresAt > now) this.schedule(aor, key, Math.min(up.expiresAt, now + RETRY_MS));
    } catch (e) {
      this.d.onEvent?.('failed');
      this.d.log.warn({ aor, err: toError(e).message }, 'upstream refresh failed');
    }
  }

  private ourContact(b: Binding): string {
    return this.d.options.contactMode === 'contact' ? contactToken(b.aor, b) : b.contact;
  }

  private async removeUpstream(b: Binding): Promise<void> {
    const up = b.upstream;
    if (up === undefined) return;
    try {
      const res = await this.d.sender.register({
        uri: this.d.options.upstream,
        headers: upstreamHeaders(this.d.options, {
          aor: b.aor,
          callId: up.callId,
          cseq: up.cseq + 1,
          put: [],
          remove: [b],
          path: b.path,
          userAgent: b.userAgent,
        }),
      });
      const ok = res.status >= 200 && res.status < 300;
      this.d.onEvent?.(ok ? 'removed' : 'remove-failed');
      this.d.log.info({ aor: b.aor, status: res.status }, 'device binding expired; removed upstream');
    } catch (e) {
      this.d.onEvent?.('remove-failed');
      this.d.log.warn({ aor: b.aor, err: toError(e).message }, 'upstream removal failed');
    }
  }
}
