/** SIP request (RFC 3261 §7.1) and response (§7.2) objects. */
import type { HeaderList } from './header-list';
import { SipMessage } from './message';
import type { RawMessage } from './raw-message';
import { type Uri, formatUri, readUri } from './uri';
import { reasonPhrase } from './reason-phrases';
import { ownString } from '../util/own-string';

export class SipRequest extends SipMessage {
  readonly kind = 'request' as const;
  private cUri: Uri | undefined;

  constructor(
    raw: RawMessage,
    hdrs: HeaderList,
    contentLength: number | undefined,
    readonly method: string,
    /** Request-URI as received */
    public uri: string,
  ) {
    super(raw, hdrs, contentLength);
  }

  /** See SipMessage.compact(); the Request-URI must not pin the header text either. */
  override compact(): void {
    super.compact();
    this.uri = ownString(this.uri);
    this.cUri = undefined;
  }

  /** Parsed Request-URI (cached); throws SipParseError (400) when malformed. */
  requestUri(): Uri {
    this.cUri ??= readUri(this.uri);
    return this.cUri;
  }

  /** Rewrite the Request-URI (the start line is re-rendered, nothing else). */
  setUri(uri: string | Uri): void {
    this.uri = typeof uri === 'string' ? uri : formatUri(uri);
    this.cUri = typeof uri === 'string' ? undefined : uri;
    this.startLineText = `${this.method} ${this.uri} SIP/2.0`;
  }
}

export class SipResponse extends SipMessage {
  readonly kind = 'response' as const;

  constructor(
    raw: RawMessage,
    hdrs: HeaderList,
    contentLength: number | undefined,
    public status: number,
    public reason: string,
  ) {
    super(raw, hdrs, contentLength);
  }

  /** See SipMessage.compact(); the reason phrase must not pin the header text either. */
  override compact(): void {
    super.compact();
    this.reason = ownString(this.reason);
  }

  setStatus(status: number, reason: string = reasonPhrase(status)): void {
    this.status = status;
    this.reason = reason;
    this.startLineText = `SIP/2.0 ${status} ${reason}`;
  }
}

export type SipMessageUnion = SipRequest | SipResponse;
