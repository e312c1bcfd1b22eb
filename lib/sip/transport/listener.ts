/**
 * The contract between listeners and the transport manager. Listeners own server sockets; the
 * manager owns connections, admission and events.
 */
import type { Server as NetServer, Socket } from 'node:net';
import type { WebSocket } from 'ws';
import type { Clock } from '../../util/clock';
import { isWildcard } from './address';
import { TransportError } from './errors';
import type { TransportLimits } from './limits';
import type { Flow, ListenerConfig, ListenerInfo, RejectedConnection, TransportKind } from './types';

export interface Listener {
  readonly id: string;
  readonly transport: TransportKind;
  /** Valid after start(): the bound port replaces a configured 0. */
  info(): ListenerInfo;
  start(): Promise<void>;
  /** Stops accepting; connections are closed by the manager. */
  close(): Promise<void>;
  /** The kernel's receive buffer size for a datagram socket (diagnostics); undefined for streams. */
  receiveBufferSize?(): number;
  /** A datagram socket's receive-queue delay (ms) since the previous call (queue-probe.ts). */
  queueDelayMs?(): number;
}

export interface ListenerContext {
  limits: TransportLimits;
  clock: Clock;
  /** Admission check for a new inbound connection; reports refusals itself. */
  admitInbound(listener: ListenerInfo, remoteAddress: string, remotePort: number): boolean;
  adoptStream(socket: Socket, listener: ListenerInfo): void;
  adoptWebSocket(ws: WebSocket, socket: Socket, listener: ListenerInfo): void;
  deliver(data: Buffer, flow: Flow): void;
  reject(info: RejectedConnection): void;
  error(error: Error): void;
}

export function listenerInfo(config: ListenerConfig, id: string, boundPort: number): ListenerInfo {
  const advertiseHost = config.advertise ?? (isWildcard(config.address) ? undefined : config.address);
  return {
    id,
    transport: config.transport,
    address: config.address,
    port: boundPort,
    advertise:
      advertiseHost === undefined
        ? undefined
        : { host: advertiseHost, port: config.advertisePort ?? boundPort },
  };
}

/**
 * Bind a stream/HTTP server; bind errors reject with TRANSPORT_LISTEN_FAILED, later socket errors
 * are reported through the context. Resolves with the bound port (a configured 0 is replaced).
 */
export function listenServer(
  server: NetServer,
  id: string,
  config: { address: string; port: number },
  ctx: Pick<ListenerContext, 'error'>,
): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    const onError = (error: Error): void => {
      reject(
        new TransportError('TRANSPORT_LISTEN_FAILED', `listener ${id}: ${error.message}`, { cause: error }),
      );
    };
    server.once('error', onError);
    server.listen({ host: config.address, port: config.port, exclusive: true }, () => {
      server.off('error', onError);
      server.on('error', (error) => {
        ctx.error(
          new TransportError('TRANSPORT_SOCKET', `listener ${id}: ${error.message}`, { cause: error }),
        );
      });
      const address = server.address();
      resolve(typeof address === 'object' && address !== null ? address.port : config.port);
    });
  });
}
