/**
 * Growable byte buffer with a read offset, so that appending is amortised O(1) and consuming a
 * message from the front does not copy the rest (a peer dripping bytes one at a time must not
 * cost quadratic copying).
 */
const SHRINK_ABOVE = 64 * 1024;

export class ByteQueue {
  private buf: Buffer = Buffer.alloc(0);
  private start = 0;
  private end = 0;

  get length(): number {
    return this.end - this.start;
  }

  append(chunk: Buffer): void {
    if (this.end + chunk.length > this.buf.length) this.makeRoom(chunk.length);
    chunk.copy(this.buf, this.end);
    this.end += chunk.length;
  }

  /** Byte at offset i from the front (caller keeps i < length). */
  at(i: number): number {
    return this.buf[this.start + i] ?? -1;
  }

  /** Offset of `needle` at or after `from`, or -1. */
  indexOf(needle: string, from: number): number {
    const i = this.view().indexOf(needle, from, 'latin1');
    return i;
  }

  /** Text of [from, to) read as latin1 (SIP header bytes are octets). */
  text(from: number, to: number): string {
    return this.buf.toString('latin1', this.start + from, this.start + to);
  }

  /** Remove n bytes from the front and return them as an independent Buffer. */
  take(n: number): Buffer {
    const out = Buffer.from(this.buf.subarray(this.start, this.start + n));
    this.skip(n);
    return out;
  }

  skip(n: number): void {
    this.start += n;
    if (this.start >= this.end) {
      this.start = 0;
      this.end = 0;
      if (this.buf.length > SHRINK_ABOVE) this.buf = Buffer.alloc(0);
    }
  }

  private view(): Buffer {
    return this.buf.subarray(this.start, this.end);
  }

  private makeRoom(extra: number): void {
    const live = this.length;
    if (live + extra <= this.buf.length) {
      this.buf.copy(this.buf, 0, this.start, this.end);
    } else {
      const next = Buffer.allocUnsafe(Math.max(live + extra, this.buf.length * 2, 4096));
      this.buf.copy(next, 0, this.start, this.end);
      this.buf = next;
    }
    this.start = 0;
    this.end = live;
  }
}
