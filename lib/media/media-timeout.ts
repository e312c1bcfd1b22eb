/**
 * Media timeout detection for one call: query rtpengine every `interval` ms (or as a
 * MediaCheckPace shared by all calls allows); when the call's RTP
 * packet counters have not moved for `timeoutSeconds` (measured on our own clock, so engine
 * clock skew does not matter), report `no-media`. When rtpengine no longer knows the call — its
 * own `--timeout` ended it — report `engine-ended`. Fires at most once, then stops. Pause it (stop
 * and restart) while a call is on hold with a=inactive, where silence is expected.
 */
import { systemClock, type Clock, type TimerHandle } from '../util/clock';
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

export interface WatchOptions {
  clock?: Clock;
  log?: Log;
}

export function watchMediaTimeout(
  session: { query(): Promise<MediaStats> },
  interval: number | MediaCheckPace,
  timeoutSeconds: number,
  onTimeout: (e: MediaTimeoutEvent) => void,
  opts: WatchOptions = {},
): MediaTimeoutWatch {
  const watch = new Watch(session, interval, timeoutSeconds, onTimeout, opts.clock ?? systemClock, opts.log);
  watch.schedule();
  return watch;
}

/**
 * One object per watched call, its methods shared: every held call has one for its whole life, and
 * the same state as closures was ≈ 8 functions and their contexts per call.
 */
class Watch implements MediaTimeoutWatch {
  private timer: TimerHandle | undefined;
  private stopped = false;
  private lastPackets = -1;
  private lastChange: number;
  /** Counted in the interval's MediaCheckPace until finished. */
  private paced: boolean;

  constructor(
    private readonly session: { query(): Promise<MediaStats> },
    private readonly interval: number | MediaCheckPace,
    private readonly timeoutSeconds: number,
    private readonly onTimeout: (e: MediaTimeoutEvent) => void,
    private readonly clock: Clock,
    private readonly log: Log | undefined,
  ) {
    this.lastChange = clock.now();
    this.paced = interval instanceof MediaCheckPace;
    if (interval instanceof MediaCheckPace) interval.join();
  }

  stop(): void {
    this.finish();
    this.timer?.cancel();
  }

  schedule(): void {
    if (this.stopped) return;
    const ms = this.interval instanceof MediaCheckPace ? this.interval.nextIntervalMs() : this.interval;
    this.timer = this.clock.setTimer(ms, () => {
      void this.check().finally(() => {
        this.schedule();
      });
    });
  }

  private finish(): void {
    this.stopped = true;
    if (this.paced && this.interval instanceof MediaCheckPace) this.interval.leave();
    this.paced = false;
  }

  private fire(reason: MediaTimeoutReason, detail: string): void {
    this.finish();
    this.onTimeout({ reason, idleMs: this.clock.now() - this.lastChange, detail });
  }

  private async check(): Promise<void> {
    try {
      const stats = await this.session.query();
      const packets = Object.values(stats.legs).reduce((n, l) => n + l.fromLeg.packets, 0);
      if (packets !== this.lastPackets) {
        this.lastPackets = packets;
        this.lastChange = this.clock.now();
      } else if (this.clock.now() - this.lastChange >= this.timeoutSeconds * 1000) {
        this.fire('no-media', `no RTP for ${this.timeoutSeconds}s (${packets} packets in total)`);
      }
    } catch (e) {
      if (isMediaError(e) && e.code === 'MEDIA_UNKNOWN_CALL') this.fire('engine-ended', e.message);
      else if (isMediaError(e) && e.code === 'MEDIA_SESSION_CLOSED') this.finish();
      else this.log?.warn({ err: e }, 'media timeout check failed; will retry');
    }
  }
}
