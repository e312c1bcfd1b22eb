/**
 * Parsed SIP message (RFC 3261 §7). Header access by canonical name (compact and long forms,
 * any case); structured headers are parsed on first access and cached. Accessors for mandatory
 * headers throw SipParseError (400) when the header is missing or malformed: run
 * validateMessage() first, after which they cannot throw.
 */
import { SipParseError } from './errors';
import { headerKey } from './header-names';
import { HeaderList } from './header-list';
import { type NameAddr, readNameAddr } from './name-addr';
import type { RawMessage } from './raw-message';
import { findHeaderEnd, splitHeaders } from './parse-head';
import { ownedCopy } from './owned-copy';
import { type CSeq, readCSeq, readMaxForwards } from './scalars';
import { serialize } from './serialize';
import { splitList } from './split-list';
import { type Via, readVia } from './via';

/** Our own bytes, re-read after compact(): they passed the limits once already. */
const UNLIMITED = { maxLineBytes: Number.MAX_SAFE_INTEGER, maxHeaders: Number.MAX_SAFE_INTEGER };

export abstract class SipMessage {
  abstract readonly kind: 'request' | 'response';
  /** message body, exactly the bytes received (a view of the input buffer) */
  body: Buffer;
  /** declared Content-Length (undefined if absent) */
  contentLength: number | undefined;
  protected startLineText: string | undefined;
  private bodyReplaced = false;
  private r: RawMessage | undefined;
  private h: HeaderList | undefined;
  /** The wire bytes while compacted (compact()); the header section is read again on access. */
  private packed: Buffer | undefined;
  private cVia: Via[] | undefined;
  private cFrom: NameAddr | undefined;
  private cTo: NameAddr | undefined;
  private cCSeq: CSeq | undefined;
  private cContact: NameAddr[] | '*' | undefined;

  protected constructor(raw: RawMessage, hdrs: HeaderList, contentLength: number | undefined) {
    this.r = raw;
    this.h = hdrs;
    this.body = raw.src.subarray(raw.bodyStart, raw.end);
    this.contentLength = contentLength;
  }

  protected get raw(): RawMessage {
    if (this.r === undefined) this.unpack();
    return this.r as RawMessage;
  }

  protected set raw(raw: RawMessage) {
    this.r = raw;
  }

  protected get hdrs(): HeaderList {
    if (this.h === undefined) this.unpack();
    return this.h as HeaderList;
  }

  /**
   * Keep only the wire bytes (in an allocation of their own) of a message held long, e.g. a
   * client transaction's request through its 64·T1 wait: the decoded header section (its text,
   * one entry per field, parsed Via/From/To/CSeq/Contact) is most of a parsed message's memory.
   * The next header access reads the bytes again; nothing observable changes.
   */
  compact(): void {
    if (this.r === undefined) return;
    const own = ownedCopy(this.toBuffer());
    const bodyStart = findHeaderEnd(own, 0)?.[1] ?? own.length;
    this.packed = own;
    this.r = undefined;
    this.h = undefined;
    this.startLineText = undefined;
    this.bodyReplaced = false;
    this.body = own.subarray(bodyStart);
    this.cVia = this.cFrom = this.cTo = this.cCSeq = this.cContact = undefined;
  }

  private unpack(): void {
    const src = this.packed;
    const ends = src === undefined ? undefined : findHeaderEnd(src, 0);
    if (src === undefined || ends === undefined) throw new Error('compacted SIP message without its bytes');
    const head = src.toString('latin1', 0, ends[0]);
    const startLineEnd = head.indexOf('\n') + 1;
    const entries = splitHeaders(head, startLineEnd, UNLIMITED);
    this.r = { src, base: 0, head, startLineEnd, bodyStart: ends[1], end: src.length };
    this.h = new HeaderList(head, entries);
    this.packed = undefined;
  }

  /**
   * Move the message's bytes into an allocation of its own, for a message kept long (e.g. a
   * client INVITE transaction's request through its 64·T1 wait): a slice of Node's shared 8 KB
   * Buffer pool, or of a larger buffer, keeps all of it alive. Idempotent; nothing else changes.
   */
  ownBytes(): void {
    if (this.r === undefined) return; // compacted: the bytes are its own already
    const { src, base, end, bodyStart } = this.raw;
    const exact = base === 0 && end === src.length && src.byteOffset === 0 && src.buffer.byteLength === end;
    if (!exact) {
      const own = Buffer.allocUnsafeSlow(end - base);
      src.copy(own, 0, base, end);
      this.raw = { ...this.raw, src: own, base: 0, bodyStart: bodyStart - base, end: end - base };
      if (!this.bodyReplaced) this.body = own.subarray(this.raw.bodyStart, this.raw.end);
    }
    const b = this.body;
    if (this.bodyReplaced && (b.byteOffset !== 0 || b.buffer.byteLength !== b.length)) {
      this.body = Buffer.allocUnsafeSlow(b.length);
      b.copy(this.body);
    }
  }

  /** First field value of that header (unfolded, trimmed, not split), or undefined. */
  header(name: string): string | undefined {
    const e = this.hdrs.first(headerKey(name));
    return e === undefined ? undefined : this.hdrs.valueOf(e);
  }

  /** All values, in order; comma-separated lists are split where the grammar allows lists. */
  headers(name: string): string[] {
    return this.hdrs.values(headerKey(name));
  }

  hasHeader(name: string): boolean {
    return this.hdrs.first(headerKey(name)) !== undefined;
  }

  /** [name as written, value] of every header field, in order. */
  headerFields(): [string, string][] {
    return this.hdrs.entries.map((e) => [e.name, this.hdrs.valueOf(e)]);
  }

  setHeader(name: string, value: string | readonly string[]): void {
    this.hdrs.set(name, typeof value === 'string' ? [value] : value);
    this.forget(headerKey(name));
  }

  appendHeader(name: string, value: string | readonly string[]): void {
    this.hdrs.append(name, typeof value === 'string' ? [value] : value);
    this.forget(headerKey(name));
  }

  prependHeader(name: string, value: string | readonly string[]): void {
    this.hdrs.prepend(name, typeof value === 'string' ? [value] : value);
    this.forget(headerKey(name));
  }

  /** Remove every field of that name; returns how many were removed. */
  removeHeader(name: string): number {
    const key = headerKey(name);
    this.forget(key);
    return this.hdrs.remove(key);
  }

  /** Replace the body; Content-Length (and Content-Type if given) are rewritten. */
  setBody(body: Buffer, contentType?: string): void {
    this.body = body;
    this.bodyReplaced = true;
    this.contentLength = body.length;
    this.setHeader(this.hdrs.first('content-length')?.name ?? 'Content-Length', String(body.length));
    if (contentType !== undefined) this.setHeader('Content-Type', contentType);
  }

  /** Via values, top first (§20.42). */
  via(): Via[] {
    this.cVia ??= this.hdrs.values('via').map(readVia);
    return this.cVia;
  }

  from(): NameAddr {
    this.cFrom ??= readNameAddr(this.single('from', 'From'));
    return this.cFrom;
  }

  to(): NameAddr {
    this.cTo ??= readNameAddr(this.single('to', 'To'));
    return this.cTo;
  }

  callId(): string {
    return this.single('call-id', 'Call-ID');
  }

  cseq(): CSeq {
    this.cCSeq ??= readCSeq(this.single('cseq', 'CSeq'));
    return this.cCSeq;
  }

  /** Contact values ([] when absent), or "*" (§10.2.2, REGISTER only). */
  contact(): NameAddr[] | '*' {
    if (this.cContact === undefined) {
      const values: string[] = [];
      for (const line of this.hdrs.lines('contact')) for (const v of splitList(line)) values.push(v);
      this.cContact = values.length === 1 && values[0] === '*' ? '*' : values.map(readNameAddr);
    }
    return this.cContact;
  }

  /** Max-Forwards (0–255) or undefined when absent; throws when malformed. */
  maxForwards(): number | undefined {
    const v = this.header('max-forwards');
    return v === undefined ? undefined : readMaxForwards(v);
  }

  route(): NameAddr[] {
    return this.headers('route').map(readNameAddr);
  }

  recordRoute(): NameAddr[] {
    return this.headers('record-route').map(readNameAddr);
  }

  /** Wire bytes: the original bytes when unmodified, else untouched runs plus re-rendered edits. */
  toBuffer(): Buffer {
    return serialize(this.raw, this.hdrs, {
      startLine: this.startLineText,
      body: this.bodyReplaced ? this.body : undefined,
    });
  }

  /** Number of fields with that name (for duplicate checks). */
  headerCount(name: string): number {
    return this.hdrs.count(headerKey(name));
  }

  /** First of the given canonical keys that occurs more than once (one pass). */
  duplicatedHeader(keys: readonly string[]): string | undefined {
    const seen = new Set<string>();
    for (const e of this.hdrs.entries) {
      if (!keys.includes(e.key)) continue;
      if (seen.has(e.key)) return e.key;
      seen.add(e.key);
    }
    return undefined;
  }

  private single(key: string, display: string): string {
    const e = this.hdrs.first(key);
    if (e === undefined) {
      throw new SipParseError('SIP_MISSING_HEADER', `missing ${display}`, {
        sipStatus: 400,
        kind: this.kind,
      });
    }
    return this.hdrs.valueOf(e);
  }

  private forget(key: string): void {
    if (key === 'via') this.cVia = undefined;
    else if (key === 'from') this.cFrom = undefined;
    else if (key === 'to') this.cTo = undefined;
    else if (key === 'cseq') this.cCSeq = undefined;
    else if (key === 'contact') this.cContact = undefined;
  }
}
