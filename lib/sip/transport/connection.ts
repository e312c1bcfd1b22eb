/**
 * What the transport manager needs from any connection-oriented transport (TCP, TLS, WS, WSS),
 * and the hooks a connection uses to report upwards.
 */
import type { TransportError } from './errors';
import type { CloseReason, ConnectionDirection, ConnectionInfo, Flow } from './types';

export interface Connection {
  readonly id: string;
  readonly direction: ConnectionDirection;
  /** Flow template for messages on this connection (connectionId set). */
  readonly flow: Flow;
  readonly closed: boolean;
  /** Resolves when the bytes are handed to the kernel; rejects with a TransportError. */
  send(data: Buffer): Promise<void>;
  /** Idempotent. 'shutdown' and 'local' flush pending output first, within the grace period. */
  close(reason: CloseReason): void;
  /** Resolves once the underlying socket is fully closed. */
  readonly done: Promise<void>;
}

export interface ConnectionHooks {
  onMessage(data: Buffer, flow: Flow): void;
  onError(error: TransportError): void;
  onClose(connection: Connection, reason: CloseReason): void;
}

export function connectionInfo(c: Connection): ConnectionInfo {
  return { id: c.id, direction: c.direction, flow: { ...c.flow } };
}

export const CRLF = Buffer.from('\r\n');
export const CRLFCRLF = Buffer.from('\r\n\r\n');
