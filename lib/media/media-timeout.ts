/**
 * Media timeout detection for one call: query rtpengine every `interval` ms (or as a
 * MediaCheckPace shared by all calls allows); when the call's RTP
 * packet counters have not moved for `timeoutSeconds` (measured on our own clock, so engine
 * clock skew does not matter), report `no-media`. When rtpengine no longer knows the call — its
 * own `--timeout` ended it — report `engine-ended`. Fires at most once, then stops. Pause it (stop
 * and restart) while a call is on hold with a=inactive, where silence is expected.
 */
import { systemClock, type Clock } from '../util/clock';
import { RepeatingTask } from '../util/repeating-task';
import type { Log } from '../util/logger';
import { MediaCheckPace } from './media-check-pace';
import { isMediaError } from './media-error';
import type { MediaStats } from './media-stats';

export type MediaTimeoutReason = 'no-media' | 'engine-ended';

export interface MediaTimeoutEvent {
  reason: MediaTimeoutReason;
  /** Milliseconds since the counters last moved (or since the watch started). */
  idleMs: number;
  detail: string;
}

export interface MediaTimeoutWatch {
  stop(): void;
}

/**
 * Another check that needs the call's counters once, early (NAT's media-latch evidence): the
 * watch's first query comes at `delayMs` instead of the paced interval and serves both — one ng
 * query instead of two for every such call.
 */
export interface FirstCheck {
  delayMs: number;
  /** The first query's counters; not called when that query failed or the watch stopped first. */
  consume(stats: MediaStats): void;
}

export interface WatchOptions {
  clock?: Clock;
  log?: Log;
  first?: FirstCheck | undefined;
}

export function watchMediaTimeout(
  session: { query(): Promise<MediaStats> },
  interval: number | MediaCheckPace,
  timeoutSeconds: number,
  onTimeout: (e: MediaTimeoutEvent) => void,
  opts: WatchOptions = {},
): MediaTimeoutWatch {
  const watch = new Watch(
    session,
    interval,
    timeoutSeconds,
    onTimeout,
    opts.clock ?? systemClock,
    opts.log,
    opts.first,
  );
  watch.start();
  return watch;
}

/** One object per watched call (it lasts as long as the call), its methods shared. */
class Watch extends RepeatingTask implements MediaTimeoutWatch {
  private lastPackets = -1;
  private lastChange: number;
  /** The shared pace this watch is counted in, until it halts. */
  private pace: MediaCheckPace | undefined;

  constructor(
    private readonly session: { query(): Promise<MediaStats> },
    private readonly interval: number | MediaCheckPace,
    private readonly timeoutSeconds: number,
    private readonly onTimeout: (e: MediaTimeoutEvent) => void,
    clock: Clock,
    private readonly log: Log | undefined,
    /** Until the first run. */
    private first: FirstCheck | undefined,
  ) {
    super(clock);
    this.lastChange = clock.now();
    if (interval instanceof MediaCheckPace) {
      this.pace = interval;
      interval.join();
    }
  }

  protected delayMs(): number {
    if (this.first !== undefined) return this.first.delayMs;
    return this.interval instanceof MediaCheckPace ? this.interval.nextIntervalMs() : this.interval;
  }

  protected override halt(): void {
    super.halt();
    this.pace?.leave();
    this.pace = undefined;
    this.first = undefined;
  }

  private share(first: FirstCheck, stats: MediaStats): void {
    try {
      first.consume(stats);
    } catch (e) {
      this.log?.warn({ err: e }, 'first media check failed');
    }
  }

  private fire(reason: MediaTimeoutReason, detail: string): void {
    this.halt();
    this.onTimeout({ reason, idleMs: this.clock.now() - this.lastChange, detail });
  }

  protected async run(): Promise<void> {
    const first = this.first;
    this.first = undefined;
    try {
      const stats = await this.session.query();
      if (first !== undefined) this.share(first, stats);
      const packets = Object.values(stats.legs).reduce((n, l) => n + l.fromLeg.packets, 0);
      if (packets !== this.lastPackets) {
        this.lastPackets = packets;
        this.lastChange = this.clock.now();
      } else if (this.clock.now() - this.lastChange >= this.timeoutSeconds * 1000) {
        this.fire('no-media', `no RTP for ${this.timeoutSeconds}s (${packets} packets in total)`);
      }
    } catch (e) {
      if (isMediaError(e) && e.code === 'MEDIA_UNKNOWN_CALL') this.fire('engine-ended', e.message);
      else if (isMediaError(e) && e.code === 'MEDIA_SESSION_CLOSED') this.halt();
      else this.log?.warn({ err: e }, 'media timeout check failed; will retry');
    }
  }
}
