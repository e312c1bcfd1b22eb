/**
 * Call detail records: one record per call, written once when the call is over. Writers never
 * throw and never block the caller; a record that cannot be written is logged and counted.
 * Sinks: a JSON log line (here), an append-only JSON-lines file (cdr-file-writer.ts) and a Redis
 * stream (lib/state/cdr-stream-writer.ts, where the Redis client lives).
 */
import type { Log } from '../util/logger';
import { toError } from '../util/errors';

export type HangupParty = 'caller' | 'callee' | 'system';

export interface CdrMediaCounts {
  packets: number;
  bytes: number;
}

/** Media counters from rtpengine, per direction of flow. */
export interface CdrMedia {
  callerToCallee: CdrMediaCounts;
  calleeToCaller: CdrMediaCounts;
}

export interface CdrRecord {
  /** Call-ID of the inbound (A) leg. */
  callId: string;
  trunkIn: string | null;
  trunkOut: string | null;
  callingNumber: string;
  calledNumber: string;
  /** ISO-8601 timestamps. */
  attemptAt: string;
  ringAt: string | null;
  answerAt: string | null;
  endAt: string;
  /** Post-dial delay: attempt to first ringing (18x) or answer; null if neither happened. */
  pddMs: number | null;
  /** Seconds from answer to end; 0 for an unanswered call. */
  durationSeconds: number;
  /** Final status of the INVITE as answered to the caller (200 for answered calls). */
  finalStatus: number;
  finalReason: string;
  hangupBy: HangupParty;
  media: CdrMedia | null;
  /** The rtpengine that anchored the media, null if none did. */
  rtpengine: string | null;
  instance: string;
  /** NAT detection's verdict on the caller: whether NATed and which signals fired (absent: NAT handling off). */
  nat?: { natted: boolean; signals: string[] } | null;
}

/** Wall-clock moments of a call, in epoch milliseconds. */
export interface CallMoments {
  attempt: number;
  ring?: number;
  answer?: number;
  end: number;
}

export type CdrTiming = Pick<
  CdrRecord,
  'attemptAt' | 'ringAt' | 'answerAt' | 'endAt' | 'pddMs' | 'durationSeconds'
>;

const iso = (ms: number | undefined): string | null => (ms === undefined ? null : new Date(ms).toISOString());

/** Timestamps, PDD and duration derived from the moments of a call. */
export function cdrTiming(m: CallMoments): CdrTiming {
  const firstProgress = m.ring ?? m.answer;
  return {
    attemptAt: new Date(m.attempt).toISOString(),
    ringAt: iso(m.ring),
    answerAt: iso(m.answer),
    endAt: new Date(m.end).toISOString(),
    pddMs: firstProgress === undefined ? null : Math.max(0, Math.round(firstProgress - m.attempt)),
    durationSeconds: m.answer === undefined ? 0 : Math.max(0, Math.round((m.end - m.answer) / 1000)),
  };
}

export interface CdrWriter {
  /** Queue one record; returns at once, never throws. */
  write(record: CdrRecord): void;
  /** Write out what is queued, then release resources. Idempotent. */
  close(): Promise<void>;
}

export type CdrSink = 'file' | 'log' | 'redis';

/** Counts records a sink failed to write (CallMetrics.cdrWriteFailed satisfies it). */
export interface CdrErrorCounter {
  cdrWriteFailed(sink: CdrSink, records?: number): void;
}

/** One JSON log line per call at info level: `{"cdr": {...}, "msg": "cdr"}`. */
export class LogCdrWriter implements CdrWriter {
  private readonly log: Log;
  /** The last error the logger threw, for diagnostics. */
  lastError: Error | undefined;

  constructor(
    log: Log,
    private readonly errors?: CdrErrorCounter,
  ) {
    this.log = log.child({ component: 'cdr' });
  }

  write(record: CdrRecord): void {
    try {
      this.log.info({ cdr: record }, 'cdr');
    } catch (thrown) {
      // The logger itself failed: counting is all that is left to do.
      this.errors?.cdrWriteFailed('log');
      this.lastError = toError(thrown);
    }
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}

/** Fan a record out to several sinks (e.g. log and file). */
export class MultiCdrWriter implements CdrWriter {
  constructor(private readonly writers: readonly CdrWriter[]) {}

  write(record: CdrRecord): void {
    for (const w of this.writers) w.write(record);
  }

  async close(): Promise<void> {
    await Promise.all(this.writers.map((w) => w.close()));
  }
}
