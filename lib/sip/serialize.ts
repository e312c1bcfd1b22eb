/**
 * Serialize a (possibly edited) message: untouched runs of the original bytes are copied as-is
 * (one slice per run), only rendered header fields and a rewritten start line are encoded.
 */
import type { HeaderList } from './header-list';
import type { RawMessage } from './raw-message';

export interface Edits {
  /** new start line text (without CRLF), if changed */
  readonly startLine: string | undefined;
  /** replacement body, if changed */
  readonly body: Buffer | undefined;
}

class Chunks {
  readonly parts: Buffer[] = [];
  private runStart = -1;
  private runEnd = -1;

  constructor(private readonly src: Buffer) {}

  raw(from: number, to: number): void {
    if (from === this.runEnd) {
      this.runEnd = to;
      return;
    }
    this.flush();
    this.runStart = from;
    this.runEnd = to;
  }

  text(s: string): void {
    this.flush();
    this.parts.push(Buffer.from(s, 'utf8'));
  }

  bytes(b: Buffer): void {
    this.flush();
    this.parts.push(b);
  }

  flush(): void {
    if (this.runStart >= 0 && this.runEnd > this.runStart) {
      this.parts.push(this.src.subarray(this.runStart, this.runEnd));
    }
    this.runStart = -1;
    this.runEnd = -1;
  }
}

export function serialize(raw: RawMessage, headers: HeaderList, edits: Edits): Buffer {
  const { src, base } = raw;
  if (!headers.dirty && edits.startLine === undefined && edits.body === undefined) {
    return src.subarray(base, raw.end);
  }
  const out = new Chunks(src);
  if (edits.startLine === undefined) out.raw(base, base + raw.startLineEnd);
  else out.text(edits.startLine + '\r\n');
  let pending = '';
  for (const e of headers.entries) {
    if (e.start >= 0) {
      if (pending.length > 0) out.text(pending);
      pending = '';
      out.raw(base + e.start, base + e.end);
    } else {
      pending += `${e.name}: ${e.value ?? ''}\r\n`;
    }
  }
  if (pending.length > 0) out.text(pending);
  const sepStart = base + raw.head.length;
  if (edits.body === undefined) {
    out.raw(sepStart, raw.end);
  } else {
    out.raw(sepStart, raw.bodyStart);
    out.bytes(edits.body);
  }
  out.flush();
  return Buffer.concat(out.parts);
}
