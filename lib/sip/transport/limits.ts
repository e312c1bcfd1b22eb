/** Resource limits of the transport layer. Every buffer and table is bounded by one of these. */
export interface TransportLimits {
  /** Close a connection after this long without traffic in either direction. 0 disables. */
  idleTimeoutMs: number;
  /** Outbound TCP connect + TLS handshake, and inbound TLS handshake. */
  connectTimeoutMs: number;
  /** All connections, inbound and outbound. */
  maxConnections: number;
  /** Inbound connections from one remote IP address. */
  maxConnectionsPerSource: number;
  /** Largest header section (start line + headers + CRLFCRLF) accepted on a stream. */
  maxHeaderBytes: number;
  /** Largest Content-Length accepted; with maxHeaderBytes it caps each receive buffer. */
  maxBodyBytes: number;
  /** Bytes queued for sending on one connection before it is considered stuck and closed. */
  maxSendQueueBytes: number;
  /** How long a graceful close may take to flush before the socket is destroyed. */
  closeGraceMs: number;
  /**
   * SO_RCVBUF for UDP listeners (bytes; 0 keeps the OS default, ~208 KiB on Linux). Near
   * saturation the first loss is receive-buffer drops, so SBCs want it large; the kernel caps it
   * at net.core.rmem_max.
   */
  udpReceiveBufferBytes: number;
}

export const DEFAULT_LIMITS: TransportLimits = {
  idleTimeoutMs: 300_000,
  connectTimeoutMs: 5_000,
  maxConnections: 20_000,
  maxConnectionsPerSource: 64,
  maxHeaderBytes: 32 * 1024,
  maxBodyBytes: 256 * 1024,
  maxSendQueueBytes: 1024 * 1024,
  closeGraceMs: 2_000,
  udpReceiveBufferBytes: 4 * 1024 * 1024,
};

export function resolveLimits(overrides: Partial<TransportLimits> | undefined): TransportLimits {
  return { ...DEFAULT_LIMITS, ...overrides };
}
