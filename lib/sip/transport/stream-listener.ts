/**
 * TCP and TLS listeners (RFC 3261 §18, §26.2.1). TLS takes certificate, key and optional CA from
 * files; with requireClientCert the peer must present a certificate that chains to the CA
 * (mutual TLS) or the handshake fails. Inbound connections pass the manager's admission check
 * (per-source and total caps) before any SIP byte is read.
 */
import { createServer as createTcpServer, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import { normaliseAddress } from './address';
import { TransportError } from './errors';
import { listenServer, listenerInfo, type Listener, type ListenerContext } from './listener';
import { loadTlsMaterial } from './tls-material';
import type { ListenerConfig, ListenerInfo, StreamKind } from './types';

const HANDSHAKE_HEADROOM = 256;

export class StreamListener implements Listener {
  readonly transport: StreamKind;
  private server: Server | undefined;
  private bound: ListenerInfo | undefined;

  constructor(
    readonly id: string,
    private readonly config: ListenerConfig,
    transport: StreamKind,
    private readonly ctx: ListenerContext,
  ) {
    this.transport = transport;
  }

  info(): ListenerInfo {
    return this.bound ?? listenerInfo(this.config, this.id, this.config.port);
  }

  async start(): Promise<void> {
    const server = await this.createServer();
    this.server = server;
    // Backstop for sockets still in the TLS handshake (not yet counted by the manager); the
    // headroom lets the manager's own cap, which reports rejections, act first.
    server.maxConnections = this.ctx.limits.maxConnections + HANDSHAKE_HEADROOM;
    const port = await listenServer(server, this.id, this.config, this.ctx);
    this.bound = listenerInfo(this.config, this.id, port);
  }

  close(): Promise<void> {
    const server = this.server;
    if (server === undefined || !server.listening) return Promise.resolve();
    // close() stops accepting and resolves when the manager has closed the last connection.
    return new Promise((resolve) => {
      server.close(() => {
        resolve();
      });
    });
  }

  private async createServer(): Promise<Server> {
    const config = this.config;
    if (this.transport === 'tcp') {
      return createTcpServer((socket) => {
        this.onSocket(socket);
      });
    }
    if (!('cert' in config)) {
      throw new TransportError('TRANSPORT_TLS_CONFIG', `listener ${this.id}: tls needs cert and key`);
    }
    const material = await loadTlsMaterial(config, this.id);
    const requireClientCert = config.requireClientCert === true;
    const server = createTlsServer({
      cert: material.cert,
      key: material.key,
      ...(material.ca === undefined ? {} : { ca: material.ca }),
      requestCert: requireClientCert,
      rejectUnauthorized: requireClientCert,
      handshakeTimeout: this.ctx.limits.connectTimeoutMs,
    });
    server.on('secureConnection', (socket) => {
      this.onSocket(socket);
    });
    server.on('tlsClientError', (error, socket) => {
      const from = `${socket.remoteAddress ?? '?'}:${socket.remotePort ?? '?'}`;
      this.ctx.error(
        new TransportError(
          'TRANSPORT_TLS_HANDSHAKE',
          `listener ${this.id}: TLS handshake from ${from}: ${error.message}`,
          {
            cause: error,
          },
        ),
      );
    });
    return server;
  }

  private onSocket(socket: Socket): void {
    const remote = socket.remoteAddress;
    const port = socket.remotePort;
    if (remote === undefined || port === undefined) {
      socket.destroy();
      return;
    }
    const info = this.info();
    if (!this.ctx.admitInbound(info, normaliseAddress(remote), port)) {
      socket.destroy();
      return;
    }
    this.ctx.adoptStream(socket, info);
  }
}
