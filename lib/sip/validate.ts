/**
 * Cheap mandatory-header validation after parseMessage (RFC 3261 §8.1.1, §8.2.2, §16.3 step 1,
 * §18.1.2): Via, From, To, Call-ID, CSeq present, parseable and not duplicated; CSeq method
 * equals the request method (byte-exact); no headers component in a SIP Request-URI (§19.1.5).
 * Parsing primes the message's caches, so later accessor calls are free and cannot throw.
 * Max-Forwards is validated when present; its absence is tolerated by default (RFC 2543
 * backward compatibility, RFC 4475 §3.4; a proxy adds one, §16.6 step 3).
 */
import { SINGLE_HEADERS } from './header-names';
import { SipParseError, type StatelessInfo } from './errors';
import type { SipRequest, SipResponse } from './request';

export interface ValidateOptions {
  /** reject requests without Max-Forwards (default false) */
  readonly requireMaxForwards?: boolean;
}

const CALL_ID = /^[\x21-\x7e]+$/;

function missing(name: string): SipParseError {
  return new SipParseError('SIP_MISSING_HEADER', `missing ${name}`, { sipStatus: 400 });
}

/** Returns undefined when the message is acceptable, else the error (with status for requests). */
export function validateMessage(
  msg: SipRequest | SipResponse,
  opts: ValidateOptions = {},
): SipParseError | undefined {
  try {
    check(msg, opts);
    return undefined;
  } catch (e) {
    if (!(e instanceof SipParseError)) throw e;
    return e.withContext(msg.kind, msg.kind === 'request' ? statelessInfoOf(msg) : undefined);
  }
}

function check(msg: SipRequest | SipResponse, opts: ValidateOptions): void {
  const dup = msg.duplicatedHeader(SINGLE_HEADERS);
  if (dup !== undefined) {
    throw new SipParseError('SIP_DUPLICATE_HEADER', `more than one ${dup}`, { sipStatus: 400 });
  }
  if (msg.via().length === 0) throw missing('Via');
  msg.from();
  msg.to();
  if (!CALL_ID.test(msg.callId()))
    throw new SipParseError('SIP_BAD_HEADER', 'bad Call-ID', { sipStatus: 400 });
  const cseq = msg.cseq();
  msg.contact();
  const mf = msg.maxForwards();
  if (msg.kind === 'response') return;
  if (mf === undefined && opts.requireMaxForwards === true) throw missing('Max-Forwards');
  const uri = msg.requestUri();
  if (uri.kind === 'sip' && uri.headers.size > 0) {
    throw new SipParseError('SIP_BAD_URI', 'headers in Request-URI', { sipStatus: 400 });
  }
  if (cseq.method !== msg.method) {
    throw new SipParseError('SIP_CSEQ_MISMATCH', `CSeq method ${cseq.method} != ${msg.method}`, {
      sipStatus: 400,
    });
  }
}

/** The raw pieces a (stateless) response to this request copies (§8.2.6.2). */
export function statelessInfoOf(msg: SipRequest | SipResponse): StatelessInfo {
  return {
    vias: msg.headers('via'),
    from: msg.header('from'),
    to: msg.header('to'),
    callId: msg.header('call-id'),
    cseq: msg.header('cseq'),
  };
}
