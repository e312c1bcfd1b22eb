/**
 * CDRs appended to a Redis stream (`XADD key MAXLEN ~ n * field value …`), for billing or
 * analytics consumers (XREAD / consumer groups). One entry per call; every top-level CDR field is
 * one stream field (objects as JSON). The approximate trim (`~`) keeps XADD O(1) amortised.
 * write() never blocks or throws: commands are pipelined by ioredis; a record that cannot be
 * added (Redis down past the retries, too many in flight) is logged and counted, never fatal.
 */
import type { CdrErrorCounter, CdrRecord, CdrWriter } from '../observe/cdr';
import { toError } from '../util/errors';
import type { Log } from '../util/logger';
import { createClient, type RedisClient } from './redis/client';

export interface CdrStreamOptions {
  /** redis:// or rediss:// URL of the server holding the stream. */
  url: string;
  key: string;
  /** Approximate maximum stream length (MAXLEN ~). */
  maxLen: number;
  log: Log;
  errors?: CdrErrorCounter;
  /** XADDs in flight beyond which new records are dropped and counted (Redis unreachable). */
  maxInFlight?: number;
}

export interface CdrStreamStats {
  written: number;
  dropped: number;
}

/** The stream entry's field/value list for a CDR. */
export function streamFields(record: CdrRecord): string[] {
  const out: string[] = [];
  for (const [name, value] of Object.entries(record)) {
    out.push(name, value !== null && typeof value === 'object' ? JSON.stringify(value) : String(value));
  }
  return out;
}

export class RedisCdrStreamWriter implements CdrWriter {
  readonly stats: CdrStreamStats = { written: 0, dropped: 0 };
  private readonly client: RedisClient;
  private readonly log: Log;
  private readonly inFlight = new Set<Promise<void>>();
  private closing: Promise<void> | undefined;
  private readonly connected: Promise<void>;
  /** Records are being lost (logged once per episode, not once per record). */
  private failing = false;

  constructor(private readonly o: CdrStreamOptions) {
    this.log = o.log.child({ component: 'cdr', stream: o.key });
    this.client = createClient({ target: { url: o.url }, keyPrefix: '' });
    this.client.on('error', (e: unknown) => {
      this.log.debug({ err: toError(e).message }, 'CDR stream connection error');
    });
    // The client connects lazily; a failure here shows up as failed XADDs (counted), and ioredis
    // keeps reconnecting in the background.
    this.connected = this.client.connect().catch((e: unknown) => {
      this.log.warn({ err: toError(e).message }, 'CDR stream: Redis not reachable yet');
    });
  }

  write(record: CdrRecord): void {
    if (this.closing !== undefined || this.inFlight.size >= (this.o.maxInFlight ?? 10_000)) {
      this.lose(new Error(this.closing ? 'writer closed' : 'too many records in flight'));
      return;
    }
    const fields = streamFields(record);
    const p = this.connected
      .then(() => this.client.xadd(this.o.key, 'MAXLEN', '~', String(this.o.maxLen), '*', ...fields))
      .then(
        () => {
          this.stats.written += 1;
          if (this.failing) this.log.info('CDR stream writable again');
          this.failing = false;
        },
        (e: unknown) => {
          this.lose(toError(e));
        },
      )
      .finally(() => this.inFlight.delete(p));
    this.inFlight.add(p);
  }

  /** Waits for the records in flight, then closes the connection. Idempotent. */
  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  private async shutdown(): Promise<void> {
    await Promise.allSettled([...this.inFlight]);
    try {
      await this.client.quit();
    } catch (e) {
      this.log.debug({ err: toError(e).message }, 'CDR stream connection closed abruptly');
      this.client.disconnect();
    }
  }

  private lose(err: Error): void {
    this.stats.dropped += 1;
    this.o.errors?.cdrWriteFailed('redis');
    if (!this.failing) this.log.warn({ err: err.message }, 'CDR not added to the Redis stream');
    this.failing = true;
  }
}
