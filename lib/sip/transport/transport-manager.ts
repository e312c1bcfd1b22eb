/**
 * TransportManager: owns every SIP listener and connection. Inbound messages come out as
 * 'message' events with their Flow; send() routes outbound messages (see OutboundRouter);
 * connections are admitted against caps, closed when idle, and all released by close().
 */
import type { Socket } from 'node:net';
import type { WebSocket } from 'ws';
import { systemClock, type Clock } from '../../util/clock';
import { toError } from '../../util/errors';
import { normaliseAddress } from './address';
import { connectionInfo, type Connection, type ConnectionHooks } from './connection';
import type { ConnectionParams } from './connection-base';
import { ConnectionTable } from './connection-table';
import { TransportError } from './errors';
import { resolveLimits, type TransportLimits } from './limits';
import type { Listener, ListenerContext } from './listener';
import { createListeners } from './listener-factory';
import { OutboundRouter } from './outbound-router';
import { StreamConnection } from './stream-connection';
import { loadTlsMaterial, type TlsMaterial } from './tls-material';
import { TypedEmitter } from './typed-emitter';
import type {
  ConnectionDirection,
  ConnectionInfo,
  Flow,
  ListenerConfig,
  ListenerInfo,
  SendTarget,
  TlsFiles,
  TransportEvents,
  TransportKind,
} from './types';
import { WsConnection } from './ws-connection';

export interface TransportManagerOptions {
  listeners: readonly ListenerConfig[];
  limits?: Partial<TransportLimits>;
  clock?: Clock;
  /** Client certificate and CA for outbound TLS; defaults to the first TLS listener's files. */
  outboundTls?: TlsFiles;
}

type State = 'new' | 'starting' | 'running' | 'closing' | 'closed';

export class TransportManager extends TypedEmitter<TransportEvents> {
  readonly limits: TransportLimits;
  private readonly clock: Clock;
  private readonly table: ConnectionTable;
  private readonly listenerList: Listener[];
  private readonly router: OutboundRouter;
  private clientTls: TlsMaterial | undefined;
  private state: State = 'new';
  private seq = 0;

  constructor(private readonly options: TransportManagerOptions) {
    super();
    this.limits = resolveLimits(options.limits);
    this.clock = options.clock ?? systemClock;
    this.table = new ConnectionTable(this.limits);
    this.listenerList = createListeners(options.listeners, this.listenerContext());
    this.router = new OutboundRouter({
      table: this.table,
      limits: this.limits,
      clock: this.clock,
      listeners: () => this.listenerList,
      clientTls: () => this.clientTls,
      running: () => this.state === 'running',
      adoptOutbound: (socket, transport, listenerId) =>
        this.adoptStream(socket, transport, listenerId, 'outbound'),
    });
  }

  /** Binds every listener; if one fails, the others are released and the error is rethrown. */
  async start(): Promise<void> {
    if (this.state !== 'new')
      throw new TransportError('TRANSPORT_SHUT_DOWN', `cannot start in state ${this.state}`);
    this.state = 'starting';
    try {
      const tlsFiles = this.options.outboundTls ?? this.options.listeners.find((l) => l.transport === 'tls');
      if (tlsFiles !== undefined && 'cert' in tlsFiles)
        this.clientTls = await loadTlsMaterial(tlsFiles, 'outbound');
      // allSettled: a listener still binding when another fails must finish before it is closed.
      const results = await Promise.allSettled(this.listenerList.map((l) => l.start()));
      const failed = results.find((r) => r.status === 'rejected');
      if (failed !== undefined) throw failed.reason;
      this.state = 'running';
    } catch (error) {
      this.state = 'closing';
      await Promise.all(this.listenerList.map((l) => l.close()));
      this.state = 'closed';
      throw error;
    }
  }

  listeners(): ListenerInfo[] {
    return this.listenerList.map((l) => l.info());
  }

  /** SO_RCVBUF of each UDP listener, by listener id (diagnostics, tests). */
  receiveBufferSizes(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const l of this.listenerList) if (l.receiveBufferSize) out[l.id] = l.receiveBufferSize();
    return out;
  }

  /** Largest receive-queue delay (ms) of the UDP listeners since the previous call (queue-probe.ts). */
  queueDelayMs(): number {
    let max = 0;
    if (this.state !== 'running') return max;
    for (const l of this.listenerList) if (l.queueDelayMs) max = Math.max(max, l.queueDelayMs());
    return max;
  }

  listener(id: string): ListenerInfo | undefined {
    return this.listenerList.find((l) => l.id === id)?.info();
  }

  connections(): ConnectionInfo[] {
    return this.table.all().map(connectionInfo);
  }

  connection(id: string): ConnectionInfo | undefined {
    const c = this.table.get(id);
    return c === undefined ? undefined : connectionInfo(c);
  }

  /** RFC 5923: reuse connection `connectionId` for requests to host:port (the Via sent-by). */
  addAlias(connectionId: string, host: string, port: number): boolean {
    return this.table.addAlias(connectionId, host, port);
  }

  closeConnection(id: string): boolean {
    const c = this.table.get(id);
    c?.close('local');
    return c !== undefined;
  }

  /** Resolves with the flow used; rejects with a TransportError (sipStatus 503 on send failures). */
  send(target: SendTarget, data: Buffer): Promise<Flow> {
    return this.router.send(target, data);
  }

  /** Stops accepting, closes every connection (flushing within closeGraceMs) and every socket. */
  async close(): Promise<void> {
    if (this.state === 'closing' || this.state === 'closed') return;
    this.state = 'closing';
    const listenersClosed = this.listenerList.map((l) => l.close());
    const connections = this.table.all();
    for (const c of connections) c.close('shutdown');
    await Promise.all([...listenersClosed, ...connections.map((c) => c.done), this.router.settle()]);
    this.state = 'closed';
  }

  private listenerContext(): ListenerContext {
    return {
      limits: this.limits,
      clock: this.clock,
      admitInbound: (listener, remoteAddress, remotePort) =>
        this.admitInbound(listener, remoteAddress, remotePort),
      adoptStream: (socket, listener) => {
        if (listener.transport === 'tcp' || listener.transport === 'tls') {
          this.adoptStream(socket, listener.transport, listener.id, 'inbound');
        }
      },
      adoptWebSocket: (ws, socket, listener) => {
        this.adoptWebSocket(ws, socket, listener);
      },
      deliver: (data, flow) => {
        this.deliver(data, flow);
      },
      reject: (info) => {
        this.emit('connection-rejected', info);
      },
      error: (error) => {
        this.emit('error', error);
      },
    };
  }

  /** A throwing 'message' handler must not tear down the socket that delivered the message. */
  private deliver(data: Buffer, flow: Flow): void {
    try {
      this.emit('message', data, flow);
    } catch (cause) {
      this.emit(
        'error',
        new TransportError('TRANSPORT_HANDLER_FAILED', `'message' handler threw: ${toError(cause).message}`, {
          cause,
          ...(flow.connectionId === undefined ? {} : { connectionId: flow.connectionId }),
        }),
      );
    }
  }

  private admitInbound(listener: ListenerInfo, remoteAddress: string, remotePort: number): boolean {
    const base = { transport: listener.transport, listenerId: listener.id, remoteAddress, remotePort };
    if (this.state !== 'running') {
      this.emit('connection-rejected', { ...base, reason: 'shutting-down' });
      return false;
    }
    const admission = this.table.admit('inbound', remoteAddress);
    if (admission.ok) return true;
    this.emit('connection-rejected', { ...base, reason: admission.reason });
    return false;
  }

  private adoptStream(
    socket: Socket,
    transport: 'tcp' | 'tls',
    listenerId: string,
    dir: ConnectionDirection,
  ): Connection {
    const c = new StreamConnection(this.params(socket, transport, listenerId, dir), socket);
    return this.register(c);
  }

  private adoptWebSocket(ws: WebSocket, socket: Socket, listener: ListenerInfo): void {
    this.register(new WsConnection(this.params(socket, listener.transport, listener.id, 'inbound'), ws));
  }

  private register(c: Connection): Connection {
    this.table.add(c);
    this.emit('connection-open', connectionInfo(c));
    if (c.closed) this.table.remove(c); // the socket died before we got here
    return c;
  }

  private params(
    socket: Socket,
    transport: TransportKind,
    listenerId: string,
    dir: ConnectionDirection,
  ): ConnectionParams {
    const id = `${transport}-${++this.seq}`;
    const flow: Flow = {
      transport,
      localAddress: normaliseAddress(socket.localAddress ?? ''),
      localPort: socket.localPort ?? 0,
      remoteAddress: normaliseAddress(socket.remoteAddress ?? ''),
      remotePort: socket.remotePort ?? 0,
      connectionId: id,
      listenerId,
    };
    return { id, direction: dir, flow, limits: this.limits, clock: this.clock, hooks: this.hooks() };
  }

  private hooks(): ConnectionHooks {
    return {
      onMessage: (data, flow) => {
        this.deliver(data, flow);
      },
      onError: (error) => {
        this.emit('error', error);
      },
      onClose: (c, reason) => {
        this.table.remove(c);
        this.emit('connection-close', connectionInfo(c), reason);
      },
    };
  }
}
