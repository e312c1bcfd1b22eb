/**
 * drachtio control-protocol framing (docs/drachtio-protocol.md §2): `<N>#<payload>`, N = payload
 * length in UTF-8 bytes. Reads may split a frame anywhere (even inside N) or carry several frames;
 * bytes are buffered and a payload is decoded to text only once complete.
 */
import { PalisadeError } from '../../util/errors';

export const MAX_FRAME_BYTES = 16 * 1024 * 1024;
const MAX_LENGTH_DIGITS = String(MAX_FRAME_BYTES).length;
const HASH = 0x23;

export class FrameError extends PalisadeError {
  constructor(message: string) {
    super('CONTROL_FRAME', message);
  }
}

/** One frame as text (the socket encodes it as UTF-8 once; no intermediate Buffer). */
export function frameText(payload: string): string {
  return `${Buffer.byteLength(payload, 'utf8')}#${payload}`;
}

export function encodeFrame(payload: string): Buffer {
  return Buffer.from(frameText(payload), 'utf8');
}

export class FrameDecoder {
  private chunks: Buffer[] = [];
  private buffered = 0;

  /** Feed bytes; returns every complete payload. Throws FrameError on a malformed length prefix. */
  push(data: Buffer): string[] {
    this.chunks.push(data);
    this.buffered += data.length;
    const out: string[] = [];
    for (;;) {
      const buf =
        this.chunks.length === 1 ? (this.chunks[0] as Buffer) : Buffer.concat(this.chunks, this.buffered);
      const frame = this.next(buf);
      if (frame === undefined) {
        this.chunks = buf.length ? [buf] : [];
        return out;
      }
      out.push(frame.payload);
      const rest = buf.subarray(frame.end);
      this.chunks = rest.length ? [rest] : [];
      this.buffered = rest.length;
    }
  }

  private next(buf: Buffer): { payload: string; end: number } | undefined {
    let length = 0;
    let i = 0;
    for (; i < buf.length; i++) {
      const c = buf[i] as number;
      if (c === HASH) break;
      if (c < 0x30 || c > 0x39 || i >= MAX_LENGTH_DIGITS) {
        throw new FrameError(`invalid frame length prefix near byte ${i}`);
      }
      length = length * 10 + (c - 0x30);
    }
    if (i === buf.length) return undefined;
    if (i === 0) throw new FrameError('empty frame length prefix');
    if (length > MAX_FRAME_BYTES) throw new FrameError(`frame of ${length} bytes exceeds ${MAX_FRAME_BYTES}`);
    const start = i + 1;
    if (buf.length < start + length) return undefined;
    return { payload: buf.toString('utf8', start, start + length), end: start + length };
  }
}
