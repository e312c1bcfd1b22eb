/**
 * Content-Length framing of SIP over stream transports (RFC 3261 §18.3, §7.5): find the end of
 * the header section (CRLFCRLF), read Content-Length (or compact `l`), then wait for that many
 * body bytes. CRLFs before a start line are ignored (§7.5); a CRLFCRLF between messages is a
 * keepalive ping to answer with a CRLF pong (RFC 5626 §3.5.1). Garbage, a missing Content-Length,
 * or anything over the size limits is a fatal error: the caller closes the connection, since
 * there is no reliable way to find the next message boundary.
 */
import { ByteQueue } from './byte-queue';
import { TransportError } from './errors';
import { parseContentLength, isStartLine, isTokenByte } from './header-scan';

export type FramerEvent =
  { kind: 'message'; data: Buffer } | { kind: 'ping' } | { kind: 'error'; error: TransportError };

export interface FramerLimits {
  maxHeaderBytes: number;
  maxBodyBytes: number;
}

const CR = 0x0d;
const LF = 0x0a;

export class StreamFramer {
  private readonly queue = new ByteQueue();
  private lineScan = 0;
  private headScan = 0;
  private startLineOk = false;
  private crlfRun = 0;
  /** Total message length once the header section has been parsed. */
  private messageLength = -1;
  private failure: TransportError | undefined;

  constructor(private readonly limits: FramerLimits) {}

  /** Bytes held while waiting for the rest of a message. */
  get bufferedBytes(): number {
    return this.queue.length;
  }

  push(chunk: Buffer): FramerEvent[] {
    if (this.failure !== undefined) return [{ kind: 'error', error: this.failure }];
    this.queue.append(chunk);
    const events: FramerEvent[] = [];
    for (;;) {
      if (this.messageLength < 0) {
        this.skipLeadingCrlf(events);
        if (this.queue.length === 0 || this.queue.at(0) === CR) break; // a CR waits for its LF
        const error = this.readHeader();
        if (error !== undefined) return this.fail(events, error);
        if (this.messageLength < 0) break;
      }
      if (this.queue.length < this.messageLength) break;
      events.push({ kind: 'message', data: this.queue.take(this.messageLength) });
      this.resetMessage();
    }
    return events;
  }

  private skipLeadingCrlf(events: FramerEvent[]): void {
    while (this.queue.length > 0) {
      const b = this.queue.at(0);
      if (b === CR) {
        if (this.queue.length < 2) return; // wait: CR might start a CRLF
        if (this.queue.at(1) === LF) {
          this.queue.skip(2);
          this.crlfRun += 1;
          if (this.crlfRun === 2) {
            events.push({ kind: 'ping' });
            this.crlfRun = 0;
          }
        } else {
          this.queue.skip(1);
        }
      } else if (b === LF) {
        this.queue.skip(1);
      } else {
        return;
      }
    }
  }

  /** Sets messageLength once the header section is complete; returns a fatal error, if any. */
  private readHeader(): TransportError | undefined {
    if (!isTokenByte(this.queue.at(0))) {
      return new TransportError('TRANSPORT_FRAMING', 'stream data does not start with a SIP start line');
    }
    if (!this.startLineOk) {
      const eol = this.queue.indexOf('\r\n', Math.max(0, this.lineScan - 1));
      if (eol >= 0) {
        if (!isStartLine(this.queue.text(0, eol))) {
          return new TransportError('TRANSPORT_FRAMING', 'invalid SIP start line on stream');
        }
        this.startLineOk = true;
      } else {
        this.lineScan = this.queue.length;
      }
    }
    const end = this.queue.indexOf('\r\n\r\n', Math.max(0, this.headScan - 3));
    if (end < 0) {
      this.headScan = this.queue.length;
      return this.queue.length > this.limits.maxHeaderBytes ? headerTooLarge(this.limits) : undefined;
    }
    const headerLength = end + 4;
    if (headerLength > this.limits.maxHeaderBytes) return headerTooLarge(this.limits);
    const cl = parseContentLength(this.queue.text(0, end), this.limits.maxBodyBytes);
    if (!cl.ok) return cl.error;
    this.messageLength = headerLength + cl.value;
    return undefined;
  }

  private resetMessage(): void {
    this.messageLength = -1;
    this.lineScan = 0;
    this.headScan = 0;
    this.startLineOk = false;
    this.crlfRun = 0;
  }

  private fail(events: FramerEvent[], error: TransportError): FramerEvent[] {
    this.failure = error;
    this.queue.skip(this.queue.length);
    events.push({ kind: 'error', error });
    return events;
  }
}

function headerTooLarge(limits: FramerLimits): TransportError {
  return new TransportError(
    'TRANSPORT_HEADER_TOO_LARGE',
    `SIP header section exceeds ${limits.maxHeaderBytes} bytes without CRLFCRLF`,
  );
}
