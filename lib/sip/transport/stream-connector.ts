/**
 * Outbound TCP/TLS connection establishment with a connect timeout (covering the TLS handshake)
 * on the injected clock. TLS verifies the server against the configured CA (or the system store)
 * and presents the listener's certificate for mutual TLS (RFC 3261 §26.3.1, RFC 5922).
 */
import { connect as tcpConnect, isIP, type Socket } from 'node:net';
import { connect as tlsConnect, type ConnectionOptions } from 'node:tls';
import type { Clock } from '../../util/clock';
import { TransportError } from './errors';
import type { TlsMaterial } from './tls-material';
import type { StreamKind } from './types';

export interface ConnectRequest {
  transport: StreamKind;
  address: string;
  port: number;
  /** Bind to this local address (a listener's specific address), if any. */
  localAddress: string | undefined;
  serverName: string | undefined;
  tls: TlsMaterial | undefined;
  timeoutMs: number;
  clock: Clock;
}

export function connectStream(req: ConnectRequest): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const where = `${req.transport}:${req.address}:${req.port}`;
    const local = req.localAddress === undefined ? {} : { localAddress: req.localAddress };
    const socket =
      req.transport === 'tcp'
        ? tcpConnect({ host: req.address, port: req.port, ...local })
        : tlsConnect({
            host: req.address,
            port: req.port,
            ...local,
            ...tlsClientOptions(req),
          });
    const timer = req.clock.setTimer(req.timeoutMs, () => {
      socket.destroy();
      reject(
        new TransportError(
          'TRANSPORT_CONNECT_TIMEOUT',
          `connect to ${where} timed out after ${req.timeoutMs} ms`,
        ),
      );
    });
    const onError = (error: Error): void => {
      timer.cancel();
      socket.destroy();
      reject(
        new TransportError('TRANSPORT_CONNECT_FAILED', `connect to ${where}: ${error.message}`, {
          cause: error,
        }),
      );
    };
    socket.once('error', onError);
    socket.once(req.transport === 'tcp' ? 'connect' : 'secureConnect', () => {
      timer.cancel();
      socket.off('error', onError);
      resolve(socket);
    });
  });
}

function tlsClientOptions(req: ConnectRequest): ConnectionOptions {
  const name = req.serverName ?? req.address;
  return {
    // Identity is checked against servername, else host; SNI only carries names (RFC 6066 §3).
    ...(isIP(name) === 0 ? { servername: name } : {}),
    ...(req.tls === undefined ? {} : { cert: req.tls.cert, key: req.tls.key }),
    ...(req.tls?.ca === undefined ? {} : { ca: req.tls.ca }),
    rejectUnauthorized: true,
  };
}
