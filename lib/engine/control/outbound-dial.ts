/**
 * Outbound mode (protocol doc §1.2): the engine opens the control connection to an app running
 * `srf.listen({port, secret})`. TLS is used without certificate verification, as drachtio-server
 * does; the app then speaks first (`authenticate`) exactly as on an inbound connection.
 */
import net from 'node:net';
import tls from 'node:tls';
import { PalisadeError } from '../../util/errors';

export interface OutboundTarget {
  host: string;
  port: number;
  tls: boolean;
}

export class OutboundConnectError extends PalisadeError {
  constructor(target: OutboundTarget, why: string) {
    super(
      'CONTROL_OUTBOUND',
      `cannot reach app at ${target.tls ? 'tls' : 'tcp'}://${target.host}:${target.port}: ${why}`,
    );
  }
}

/** `tcp://host:port`, `tls://host:port` (handler URLs) → target; undefined for anything else. */
export function parseAppUrl(url: string): OutboundTarget | undefined {
  const m = /^(tcp|tls):\/\/(\[[^\]]+\]|[^:/]+):(\d{1,5})\/?$/i.exec(url.trim());
  if (!m) return undefined;
  return { tls: m[1]?.toLowerCase() === 'tls', host: unbracket(m[2] ?? ''), port: Number(m[3]) };
}

/** A `route` action's `uri`: `host:port[;transport=tcp|tls]` (a `sip:` prefix is tolerated). */
export function parseRouteUri(uri: string): OutboundTarget | undefined {
  const m = /^(?:sips?:)?(\[[^\]]+\]|[^:;]+):(\d{1,5})((?:;[^;]*)*)$/i.exec(uri.trim());
  if (!m) return undefined;
  const transport = /;transport=(\w+)/i.exec(m[3] ?? '')?.[1]?.toLowerCase() ?? 'tcp';
  if (transport !== 'tcp' && transport !== 'tls') return undefined;
  return { host: unbracket(m[1] ?? ''), port: Number(m[2]), tls: transport === 'tls' };
}

const unbracket = (h: string): string => (h.startsWith('[') ? h.slice(1, -1) : h);

export function dialApp(target: OutboundTarget, timeoutMs: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = target.tls
      ? tls.connect({ host: target.host, port: target.port, rejectUnauthorized: false })
      : net.connect({ host: target.host, port: target.port });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new OutboundConnectError(target, `no connection within ${timeoutMs} ms`));
    }, timeoutMs);
    const fail = (e: Error): void => {
      clearTimeout(timer);
      socket.destroy();
      reject(new OutboundConnectError(target, e.message));
    };
    socket.once('error', fail);
    socket.once(target.tls ? 'secureConnect' : 'connect', () => {
      clearTimeout(timer);
      socket.off('error', fail);
      resolve(socket);
    });
  });
}
