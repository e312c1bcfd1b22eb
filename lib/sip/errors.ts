/**
 * Typed parse / validation errors of the SIP message layer. A request that fails carries the
 * status to answer with (RFC 3261 §8.2, §21) and, where still readable, the header values a
 * stateless error response needs (§8.2.6, §18.2.1). Invalid responses carry no status: the
 * caller drops them (§18.1.2).
 */
import { PalisadeError } from '../util/errors';

export type SipErrorCode =
  | 'SIP_BAD_START_LINE'
  | 'SIP_BAD_VERSION'
  | 'SIP_TOO_LARGE'
  | 'SIP_TOO_MANY_HEADERS'
  | 'SIP_LINE_TOO_LONG'
  | 'SIP_BAD_HEADER'
  | 'SIP_BAD_CONTENT_LENGTH'
  | 'SIP_TRUNCATED_BODY'
  | 'SIP_NO_HEADER_END'
  | 'SIP_INCOMPLETE'
  | 'SIP_MISSING_HEADER'
  | 'SIP_DUPLICATE_HEADER'
  | 'SIP_CSEQ_MISMATCH'
  | 'SIP_BAD_URI';

/** Raw header values (as on the wire, unfolded) needed to answer a broken request statelessly. */
export interface StatelessInfo {
  readonly vias: readonly string[];
  readonly from: string | undefined;
  readonly to: string | undefined;
  readonly callId: string | undefined;
  readonly cseq: string | undefined;
}

export type MessageKind = 'request' | 'response' | 'unknown';

export class SipParseError extends PalisadeError {
  declare readonly code: SipErrorCode;
  /** request / response / unreadable start line */
  readonly kind: MessageKind;
  /** Present for requests when the pieces could be recovered. */
  readonly info: StatelessInfo | undefined;

  constructor(
    code: SipErrorCode,
    message: string,
    opts: { sipStatus?: number; kind?: MessageKind; info?: StatelessInfo; cause?: unknown } = {},
  ) {
    const kind = opts.kind ?? 'request';
    // Responses are never answered: no status to send (RFC 3261 §18.1.2).
    const status = kind === 'response' ? undefined : opts.sipStatus;
    super(
      code,
      message,
      status === undefined ? { cause: opts.cause } : { sipStatus: status, cause: opts.cause },
    );
    this.kind = kind;
    this.info = opts.info;
  }

  /** Same error, re-targeted at a message kind and with stateless-response pieces attached. */
  withContext(kind: MessageKind, info: StatelessInfo | undefined): SipParseError {
    return new SipParseError(this.code, this.message, {
      ...(this.sipStatus === undefined ? {} : { sipStatus: this.sipStatus }),
      kind,
      ...(info === undefined ? {} : { info }),
      cause: this,
    });
  }
}

/** Syntax error inside a header value or URI: always 400 Bad Request (§21.4.1). */
export function syntaxError(what: string, code: SipErrorCode = 'SIP_BAD_HEADER'): SipParseError {
  return new SipParseError(code, what, { sipStatus: 400 });
}
