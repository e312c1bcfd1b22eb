/**
 * Typed transport errors. Send-side failures carry SIP status 503 so the transaction layer can
 * turn them into a locally generated 503 (RFC 3261 §8.1.3.1, §17.1.4).
 */
import { PalisadeError } from '../../util/errors';

export type TransportErrorCode =
  | 'TRANSPORT_FRAMING'
  | 'TRANSPORT_HEADER_TOO_LARGE'
  | 'TRANSPORT_BODY_TOO_LARGE'
  | 'TRANSPORT_CONTENT_LENGTH_MISSING'
  | 'TRANSPORT_CONTENT_LENGTH_INVALID'
  | 'TRANSPORT_SEND_QUEUE_FULL'
  | 'TRANSPORT_CONNECTION_CLOSED'
  | 'TRANSPORT_NO_CONNECTION'
  | 'TRANSPORT_CONNECT_FAILED'
  | 'TRANSPORT_CONNECT_TIMEOUT'
  | 'TRANSPORT_CONNECTION_LIMIT'
  | 'TRANSPORT_NO_LISTENER'
  | 'TRANSPORT_SEND_FAILED'
  | 'TRANSPORT_MESSAGE_TOO_LARGE'
  | 'TRANSPORT_UNSUPPORTED'
  | 'TRANSPORT_TLS_CONFIG'
  | 'TRANSPORT_SOCKET_OPTION'
  | 'TRANSPORT_TLS_HANDSHAKE'
  | 'TRANSPORT_LISTEN_FAILED'
  | 'TRANSPORT_SHUT_DOWN'
  | 'TRANSPORT_UDP_GARBAGE'
  | 'TRANSPORT_SOCKET'
  | 'TRANSPORT_HANDLER_FAILED';

const SEND_SIDE: ReadonlySet<TransportErrorCode> = new Set<TransportErrorCode>([
  'TRANSPORT_SEND_QUEUE_FULL',
  'TRANSPORT_CONNECTION_CLOSED',
  'TRANSPORT_NO_CONNECTION',
  'TRANSPORT_CONNECT_FAILED',
  'TRANSPORT_CONNECT_TIMEOUT',
  'TRANSPORT_CONNECTION_LIMIT',
  'TRANSPORT_NO_LISTENER',
  'TRANSPORT_SEND_FAILED',
  'TRANSPORT_MESSAGE_TOO_LARGE',
  'TRANSPORT_UNSUPPORTED',
  'TRANSPORT_SHUT_DOWN',
]);

export class TransportError extends PalisadeError {
  declare readonly code: TransportErrorCode;
  /** Connection the error concerns, when there is one. */
  readonly connectionId: string | undefined;

  constructor(
    code: TransportErrorCode,
    message: string,
    options: { cause?: unknown; connectionId?: string } = {},
  ) {
    super(code, message, {
      ...(SEND_SIDE.has(code) ? { sipStatus: 503 } : {}),
      ...(options.cause === undefined ? {} : { cause: options.cause }),
    });
    this.connectionId = options.connectionId;
  }
}
