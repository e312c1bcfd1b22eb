/**
 * Paces the media-timeout queries of all calls together (config media.mediaTimeout): each call
 * is checked every `intervalMs` while calls / interval stays under `maxPerSecond`; with more calls
 * every call's interval stretches to calls / maxPerSecond seconds. rtpengine and the B2BUA thread
 * then see at most `maxPerSecond` ng queries per second however many calls are up — one query per
 * call every 5 s was 4 000 queries/s with 20 000 calls, more than a userspace rtpengine answered
 * in time (bench/sbc-cps memory phase).
 */
export class MediaCheckPace {
  private watched = 0;

  constructor(
    readonly intervalMs: number,
    readonly maxPerSecond: number,
  ) {}

  /** Calls being watched now. */
  get size(): number {
    return this.watched;
  }

  /** A call's watch starts; each join is matched by one leave (the watch keeps track). */
  join(): void {
    this.watched++;
  }

  leave(): void {
    this.watched = Math.max(0, this.watched - 1);
  }

  /** The wait before a call's next check. */
  nextIntervalMs(): number {
    return Math.max(this.intervalMs, Math.ceil((this.watched / this.maxPerSecond) * 1000));
  }
}
