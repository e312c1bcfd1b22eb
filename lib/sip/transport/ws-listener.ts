/**
 * WebSocket (WS) and secure WebSocket (WSS) listeners, server side only (RFC 7118). The upgrade
 * must offer the "sip" subprotocol (§4.1) or it is refused with 400; admission caps apply before
 * the upgrade completes (503 when over a cap). Plain HTTP requests get 426.
 */
import { createServer as createHttpServer, type IncomingMessage, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import { Socket } from 'node:net';
import { normaliseAddress } from './address';
import { TransportError } from './errors';
import { listenServer, listenerInfo, type Listener, type ListenerContext } from './listener';
import { loadTlsMaterial } from './tls-material';
import type { ListenerConfig, ListenerInfo, WebSocketKind } from './types';

export const SIP_SUBPROTOCOL = 'sip';

export class WsListener implements Listener {
  readonly transport: WebSocketKind;
  private server: Server | undefined;
  private wss: WebSocketServer | undefined;
  private bound: ListenerInfo | undefined;

  constructor(
    readonly id: string,
    private readonly config: ListenerConfig,
    transport: WebSocketKind,
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
    this.wss = new WebSocketServer({
      noServer: true,
      maxPayload: this.ctx.limits.maxHeaderBytes + this.ctx.limits.maxBodyBytes,
      perMessageDeflate: false,
      handleProtocols: (protocols) => (protocols.has(SIP_SUBPROTOCOL) ? SIP_SUBPROTOCOL : false),
    });
    server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      if (socket instanceof Socket) this.onUpgrade(req, socket, head);
      else socket.destroy();
    });
    server.on('request', (_req, res) => {
      res.writeHead(426, { Connection: 'close', Upgrade: 'websocket' }).end();
    });
    const port = await listenServer(server, this.id, this.config, this.ctx);
    this.bound = listenerInfo(this.config, this.id, port);
  }

  close(): Promise<void> {
    const server = this.server;
    if (server === undefined || !server.listening) return Promise.resolve();
    this.wss?.close();
    return new Promise((resolve) => {
      server.close(() => {
        resolve();
      });
      server.closeAllConnections();
    });
  }

  private async createServer(): Promise<Server> {
    const config = this.config;
    if (this.transport === 'ws') return createHttpServer();
    if (!('cert' in config)) {
      throw new TransportError('TRANSPORT_TLS_CONFIG', `listener ${this.id}: wss needs cert and key`);
    }
    const material = await loadTlsMaterial(config, this.id);
    const requireClientCert = config.requireClientCert === true;
    const server = createHttpsServer({
      cert: material.cert,
      key: material.key,
      ...(material.ca === undefined ? {} : { ca: material.ca }),
      requestCert: requireClientCert,
      rejectUnauthorized: requireClientCert,
      handshakeTimeout: this.ctx.limits.connectTimeoutMs,
    });
    server.on('tlsClientError', (error) => {
      this.ctx.error(
        new TransportError('TRANSPORT_TLS_HANDSHAKE', `listener ${this.id}: ${error.message}`, {
          cause: error,
        }),
      );
    });
    return server;
  }

  private onUpgrade(req: IncomingMessage, socket: Socket, head: Buffer): void {
    const wss = this.wss;
    const remote = socket.remoteAddress;
    const port = socket.remotePort;
    if (wss === undefined || remote === undefined || port === undefined) {
      socket.destroy();
      return;
    }
    const info = this.info();
    const remoteAddress = normaliseAddress(remote);
    const offered = (req.headers['sec-websocket-protocol'] ?? '')
      .split(',')
      .map((p) => p.trim().toLowerCase());
    if (!offered.includes(SIP_SUBPROTOCOL)) {
      this.ctx.reject({
        transport: this.transport,
        listenerId: this.id,
        remoteAddress,
        remotePort: port,
        reason: 'subprotocol',
      });
      refuse(socket, 400, 'Bad Request');
      return;
    }
    if (!this.ctx.admitInbound(info, remoteAddress, port)) {
      refuse(socket, 503, 'Service Unavailable');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      this.ctx.adoptWebSocket(ws, socket, info);
    });
  }
}

function refuse(socket: Socket, status: number, text: string): void {
  socket.once('finish', () => socket.destroy());
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}
