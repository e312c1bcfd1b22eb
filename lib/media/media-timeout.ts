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
  const clock = opts.clock ?? systemClock;
  let timer: TimerHandle | undefined;
  let stopped = false;
  let lastPackets = -1;
  let lastChange = clock.now();
  const leave = interval instanceof MediaCheckPace ? interval.join() : undefined;
  const nextMs = (): number => (interval instanceof MediaCheckPace ? interval.nextIntervalMs() : interval);
  const finish = (): void => {
    stopped = true;
    leave?.();
  };

  const fire = (reason: MediaTimeoutReason, detail: string): void => {
    finish();
    onTimeout({ reason, idleMs: clock.now() - lastChange, detail });
  };

  const check = async (): Promise<void> => {
    try {
      const stats = await session.query();
      const packets = Object.values(stats.legs).reduce((n, l) => n + l.fromLeg.packets, 0);
      if (packets !== lastPackets) {
        lastPackets = packets;
        lastChange = clock.now();
      } else if (clock.now() - lastChange >= timeoutSeconds * 1000) {
        fire('no-media', `no RTP for ${timeoutSeconds}s (${packets} packets in total)`);
      }
    } catch (e) {
      if (isMediaError(e) && e.code === 'MEDIA_UNKNOWN_CALL') fire('engine-ended', e.message);
      else if (isMediaError(e) && e.code === 'MEDIA_SESSION_CLOSED') finish();
      else opts.log?.warn({ err: e }, 'media timeout check failed; will retry');
    }
  };

  const schedule = (): void => {
    if (stopped) return;
    timer = clock.setTimer(nextMs(), () => {
      void check().finally(schedule);
    });
  };
  schedule();
  return {
    stop: () => {
      finish();
      timer?.cancel();
    },
  };
}
