/**
 * Shared vocabulary of the SIP transport layer (RFC 3261 §18, RFC 7118 for WebSocket): which
 * transports exist, how a listener is configured, and the flow descriptor every inbound message
 * carries so that responses and in-dialog requests can go back the way the request came.
 */

import type { SipTransportName } from '../transport-names';

export type TransportKind = SipTransportName;

/** Stream transports carry several messages per connection and need Content-Length framing. */
export type StreamKind = 'tcp' | 'tls';
export type WebSocketKind = 'ws' | 'wss';

export const isStreamKind = (t: TransportKind): t is StreamKind => t === 'tcp' || t === 'tls';
export const isWebSocketKind = (t: TransportKind): t is WebSocketKind => t === 'ws' || t === 'wss';

/** Paths of PEM files; read once at start-up. */
export interface TlsFiles {
  cert: string;
  key: string;
  /** CA bundle used to verify peers (client certificates inbound, server certificates outbound). */
  ca?: string;
}

interface ListenerBase {
  /** Stable name for logs and flows; defaults to `transport:address:port`. */
  id?: string;
  address: string;
  /** 0 picks an ephemeral port (tests). */
  port: number;
  /** Public host to put in Via/Contact when the socket sits behind 1:1 NAT. */
  advertise?: string;
  /** Public port, if it differs from the bound one. */
  advertisePort?: number;
}

export interface PlainListenerConfig extends ListenerBase {
  transport: 'udp' | 'tcp' | 'ws';
}

export interface SecureListenerConfig extends ListenerBase, TlsFiles {
  transport: 'tls' | 'wss';
  /** Mutual TLS: ask for a client certificate and refuse peers without a valid one. */
  requireClientCert?: boolean;
}

export type ListenerConfig = PlainListenerConfig | SecureListenerConfig;

/** A listener after binding: the real port and what to advertise. */
export interface ListenerInfo {
  id: string;
  transport: TransportKind;
  address: string;
  port: number;
  advertise: { host: string; port: number } | undefined;
}

/** Where a message came from (inbound) or went (outbound). Immutable: one object may be shared (udp-listener.ts). */
export interface Flow {
  readonly transport: TransportKind;
  readonly localAddress: string;
  readonly localPort: number;
  readonly remoteAddress: string;
  readonly remotePort: number;
  /** Set for connection-oriented transports (tcp, tls, ws, wss). */
  readonly connectionId: string | undefined;
  readonly listenerId: string;
}

export type ConnectionDirection = 'inbound' | 'outbound';

export interface ConnectionInfo {
  id: string;
  direction: ConnectionDirection;
  flow: Flow;
}

export type CloseReason =
  'peer-closed' | 'idle' | 'framing-error' | 'send-queue-overflow' | 'socket-error' | 'local' | 'shutdown';

export interface SendTarget {
  transport: TransportKind;
  address: string;
  port: number;
  /** Prefer this connection (e.g. the one the request arrived on, RFC 3261 §18.2.2). */
  connectionId?: string;
  /** UDP: send from this listener's socket rather than the first one of the right family. */
  listenerId?: string;
  /** TLS: name to verify the server certificate against (and SNI); defaults to `address`. */
  serverName?: string;
}

export interface RejectedConnection {
  transport: TransportKind;
  listenerId: string;
  remoteAddress: string;
  remotePort: number;
  reason: 'per-source-limit' | 'total-limit' | 'subprotocol' | 'shutting-down';
}

export interface TransportEvents {
  message: (data: Buffer, flow: Flow) => void;
  'connection-open': (info: ConnectionInfo) => void;
  'connection-close': (info: ConnectionInfo, reason: CloseReason) => void;
  'connection-rejected': (info: RejectedConnection) => void;
  error: (error: Error) => void;
}
