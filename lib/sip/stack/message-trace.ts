/**
 * One log line per SIP message the stack receives or sends (config `log.sipMessages`), what an
 * operator reaches for first when a call goes wrong: direction, peer, first line, Call-ID and
 * CSeq. Off by default; off, it costs one check per message.
 */
import type { Log } from '../../util/logger';

export interface TracedMessage {
  dir: 'in' | 'out';
  /** transport:address:port of the other side. */
  peer: string;
  line: string;
  callId: string | undefined;
  cseq: string | undefined;
}

/** Only the head is looked at: a message's first line and headers come before its body. */
const HEAD_BYTES = 4096;
const MAX_LINE = 200;
const CALL_ID = /^(?:call-id|i)[ \t]*:[ \t]*([^\r\n]*)/im;
const CSEQ = /^cseq[ \t]*:[ \t]*([^\r\n]*)/im;

export function describeMessage(buf: Buffer): Pick<TracedMessage, 'line' | 'callId' | 'cseq'> {
  const head = buf.toString('latin1', 0, Math.min(buf.length, HEAD_BYTES));
  const eol = head.indexOf('\r\n');
  const end = head.indexOf('\r\n\r\n');
  const headers = end < 0 ? head : head.slice(0, end);
  return {
    line: head.slice(0, Math.min(eol < 0 ? head.length : eol, MAX_LINE)),
    callId: CALL_ID.exec(headers)?.[1]?.trim(),
    cseq: CSEQ.exec(headers)?.[1]?.trim(),
  };
}

export type MessageTracer = (dir: TracedMessage['dir'], buf: Buffer, peer: string) => void;

/** A tracer writing to `log` at info (the operator asked for these lines). */
export function logTracer(log: Log): MessageTracer {
  return (dir, buf, peer) => {
    if (buf.length <= 4 && buf.toString('latin1').trim() === '') return; // CRLF keepalives
    log.info({ dir, peer, ...describeMessage(buf) }, 'sip message');
  };
}
