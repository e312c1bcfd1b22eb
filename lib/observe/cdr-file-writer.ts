/**
 * Append-only JSON-lines CDR file with size-based rotation: `cdr.jsonl` is current, `cdr.jsonl.1`
 * the newest rotated file, up to `cdr.jsonl.<keep>`. write() only queues; one async loop appends
 * batches, so callers never wait on the disk. Disk errors are logged and counted and cost only
 * the records in flight; the file is reopened on the next record (e.g. once the disk has room).
 */
import { open, rename, rm, type FileHandle } from 'node:fs/promises';
import type { Log } from '../util/logger';
import { toError } from '../util/errors';
import type { CdrErrorCounter, CdrRecord, CdrWriter } from './cdr';

export interface CdrFileWriterOptions {
  path: string;
  /** Rotate before a write would take the file past this size. */
  maxBytes: number;
  /** Rotated files kept (0: the full file is deleted at rotation). */
  keep: number;
  /** Records held while the disk is slow; beyond this, new records are dropped and counted. */
  maxQueue?: number;
  log: Log;
  errors?: CdrErrorCounter;
}

export interface CdrFileStats {
  written: number;
  dropped: number;
  ioErrors: number;
  rotations: number;
}

const isMissing = (e: unknown): boolean => (e as NodeJS.ErrnoException | undefined)?.code === 'ENOENT';

export class CdrFileWriter implements CdrWriter {
  readonly stats: CdrFileStats = { written: 0, dropped: 0, ioErrors: 0, rotations: 0 };
  private readonly log: Log;
  private readonly maxQueue: number;
  private queue: string[] = [];
  private running = false;
  private closed = false;
  /** Records have been lost since the last successful batch (logs once per episode). */
  private failing = false;
  private fh: FileHandle | undefined;
  private size = 0;
  /** Size at which the current rotation window began (non-zero only after a failed rotation). */
  private windowStart = 0;
  private idleWaiters: (() => void)[] = [];

  constructor(private readonly options: CdrFileWriterOptions) {
    this.log = options.log.child({ component: 'cdr', path: options.path });
    this.maxQueue = options.maxQueue ?? 10_000;
  }

  write(record: CdrRecord): void {
    if (this.closed || this.queue.length >= this.maxQueue) {
      this.lose(1, new Error(this.closed ? 'writer closed' : 'queue full'));
      return;
    }
    try {
      this.queue.push(`${JSON.stringify(record)}\n`);
    } catch (thrown) {
      this.lose(1, toError(thrown));
      return;
    }
    if (!this.running) {
      this.running = true;
      void this.drain();
    }
  }

  /** Resolves once every queued record has been written (or given up on). */
  flush(): Promise<void> {
    if (!this.running) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.flush();
    await this.closeHandle();
  }

  private async drain(): Promise<void> {
    try {
      while (this.queue.length > 0) {
        const batch = this.queue;
        this.queue = [];
        await this.writeBatch(batch);
      }
    } finally {
      this.running = false;
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const w of waiters) w();
    }
  }

  private async writeBatch(lines: readonly string[]): Promise<void> {
    let done = 0;
    let pending: string[] = [];
    let pendingBytes = 0;
    try {
      await this.ensureOpen();
      for (const line of lines) {
        const n = Buffer.byteLength(line);
        const used = this.size - this.windowStart + pendingBytes;
        if (used + n > this.options.maxBytes && used > 0) {
          done += await this.append(pending, pendingBytes);
          [pending, pendingBytes] = [[], 0];
          await this.rotate();
        }
        pending.push(line);
        pendingBytes += n;
      }
      done += await this.append(pending, pendingBytes);
      if (this.failing) this.log.info({ dropped: this.stats.dropped }, 'cdr: writing records again');
      this.failing = false;
    } catch (thrown) {
      this.stats.ioErrors++;
      await this.closeHandle();
      this.lose(lines.length - done, toError(thrown));
    }
  }

  private async append(lines: readonly string[], bytes: number): Promise<number> {
    if (lines.length === 0) return 0;
    const fh = await this.ensureOpen();
    await fh.appendFile(lines.join(''));
    this.size += bytes;
    this.stats.written += lines.length;
    return lines.length;
  }

  /** Open (or create) the current file and learn its size, which may predate this process. */
  private async ensureOpen(): Promise<FileHandle> {
    if (this.fh) return this.fh;
    const fh = await open(this.options.path, 'a');
    this.fh = fh;
    this.size = (await fh.stat()).size;
    if (this.size < this.windowStart) this.windowStart = 0;
    return fh;
  }

  /** Shift cdr.jsonl.N-1 → .N … cdr.jsonl → .1. A failed rotation keeps the current file. */
  private async rotate(): Promise<void> {
    const { path, keep } = this.options;
    await this.closeHandle();
    try {
      if (keep <= 0) {
        await rm(path, { force: true });
      } else {
        for (let i = keep - 1; i >= 1; i--) {
          await rename(`${path}.${i}`, `${path}.${i + 1}`).catch((e: unknown) => {
            if (!isMissing(e)) throw e;
          });
        }
        await rename(path, `${path}.1`);
      }
      this.stats.rotations++;
      this.size = 0;
      this.windowStart = 0;
    } catch (thrown) {
      // Appending on is better than losing records; retry after another maxBytes.
      this.stats.ioErrors++;
      this.log.error({ err: toError(thrown).message }, 'cdr: rotation failed, appending to the current file');
      this.windowStart = this.size;
    }
  }

  private async closeHandle(): Promise<void> {
    const fh = this.fh;
    this.fh = undefined;
    if (!fh) return;
    await fh.close().catch((e: unknown) => {
      this.log.warn({ err: toError(e).message }, 'cdr: closing the file failed');
    });
  }

  private lose(records: number, error: Error): void {
    if (records <= 0) return;
    this.stats.dropped += records;
    this.options.errors?.cdrWriteFailed('file', records);
    if (!this.failing) {
      this.log.error({ err: error.message, records }, 'cdr: records could not be written');
    }
    this.failing = true;
  }
}
