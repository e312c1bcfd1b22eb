/**
 * The control listener apps connect to (drachtio-server's admin port, default 9022; optional TLS).
 * It sends nothing until the app speaks (§1.1), tracks routed verbs per connection, and tells the
 * engine core when an app goes away so its pending transactions can be answered. It also opens
 * outbound connections to apps running `srf.listen()` (§1.2) and finds apps by tag.
 */
import net from 'node:net';
import tls from 'node:tls';
import type { Log } from '../../util/logger';
import { PalisadeError } from '../../util/errors';
import { AppRegistry } from './app-registry';
import { ControlConnection, type ControlContext } from './control-connection';
import { dialApp, OutboundConnectError, type OutboundTarget } from './outbound-dial';

export interface ControlServerOptions {
  address: string;
  port: number;
  secret: string;
  version: string;
  /** Makes the control port itself TLS. */
  tls?: { key: Buffer; cert: Buffer };
  /** An additional TLS control port beside the plain one (drachtio's `tls-port`; srf reconnects over TCP). */
  tlsListener?: { port: number; key: Buffer; cert: Buffer };
  hostports: () => { external: string; local: string };
  onTraffic: ControlContext['onTraffic'];
  onAppGone?: (conn: ControlConnection) => void;
  log: Log;
}

interface AuthWaiter {
  resolve(conn: ControlConnection): void;
  reject(e: Error): void;
}

export class ControlServer {
  readonly apps = new AppRegistry<ControlConnection>();
  private readonly connections = new Set<ControlConnection>();
  private readonly authWaiters = new Map<ControlConnection, AuthWaiter>();
  private readonly tagCursor = new Map<string, number>();
  private readonly ctx: ControlContext;
  private readonly servers: net.Server[] = [];
  private tlsBound: { address: string; port: number } | undefined;

  constructor(private readonly o: ControlServerOptions) {
    this.ctx = {
      secret: o.secret,
      version: o.version,
      hostports: () => o.hostports(),
      onTraffic: o.onTraffic,
      onRoute: (conn, verb, add) => {
        if (add) this.apps.addRoute(conn, verb);
        else this.apps.removeRoute(conn, verb);
      },
      onAuthenticated: (conn) => {
        this.authWaiters.get(conn)?.resolve(conn);
        this.authWaiters.delete(conn);
      },
      onClose: (conn) => {
        this.connections.delete(conn);
        this.apps.removeApp(conn);
        this.authWaiters.get(conn)?.reject(new Error('app closed the connection before authenticating'));
        this.authWaiters.delete(conn);
        o.log.info({ app: conn.remote }, 'app disconnected');
        o.onAppGone?.(conn);
      },
    };
  }

  async listen(): Promise<{ address: string; port: number }> {
    const accept = (socket: net.Socket): void => {
      this.adopt(socket);
    };
    const main = this.o.tls
      ? tls.createServer({ key: this.o.tls.key, cert: this.o.tls.cert }, accept)
      : net.createServer(accept);
    const bound = await this.bind(main, this.o.port);
    const t = this.o.tlsListener;
    if (t) {
      try {
        this.tlsBound = await this.bind(tls.createServer({ key: t.key, cert: t.cert }, accept), t.port);
      } catch (e) {
        await this.close();
        throw e;
      }
    }
    return bound;
  }

  /** The additional TLS control port, once listening. */
  get tlsPort(): number | undefined {
    return this.tlsBound?.port;
  }

  private async bind(server: net.Server, port: number): Promise<{ address: string; port: number }> {
    this.servers.push(server);
    await new Promise<void>((resolve, reject) => {
      server.once('error', (e: Error) => {
        reject(new PalisadeError('CONTROL_LISTEN', `control port ${this.o.address}:${port}: ${e.message}`));
      });
      server.listen(port, this.o.address, resolve);
    });
    server.on('error', (e: Error) => {
      this.o.log.error({ err: e }, 'control server error');
    });
    const addr = server.address() as net.AddressInfo;
    return { address: addr.address, port: addr.port };
  }

  /**
   * Outbound mode (§1.2): connect to an app, wait for its `authenticate`, resolve with the
   * authenticated connection. Rejects with OutboundConnectError (the caller answers 480).
   */
  async connectOut(target: OutboundTarget, timeoutMs = 5000): Promise<ControlConnection> {
    const conn = this.adopt(await dialApp(target, timeoutMs));
    return new Promise<ControlConnection>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.authWaiters.delete(conn);
        conn.close('no authenticate from outbound app');
        reject(new OutboundConnectError(target, `no authenticate within ${timeoutMs} ms`));
      }, timeoutMs);
      this.authWaiters.set(conn, {
        resolve: (c) => {
          clearTimeout(timer);
          resolve(c);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(new OutboundConnectError(target, e.message));
        },
      });
    });
  }

  /**
   * An app connection that is no TCP socket: the in-process link to drachtio-srf in the main
   * thread (lib/util/port-socket.ts, ADR 0013). The app authenticates on it as on any other.
   */
  acceptInProcess(socket: net.Socket): void {
    this.adopt(socket);
  }

  /** Round-robin over authenticated connections whose `authenticate` listed this tag (§1.2). */
  pickTagged(tag: string): ControlConnection | undefined {
    const tagged = [...this.connections].filter(
      (c) => c.isAuthenticated && !c.isClosed && c.tags.includes(tag),
    );
    if (!tagged.length) return undefined;
    const i = (this.tagCursor.get(tag) ?? 0) % tagged.length;
    this.tagCursor.set(tag, i + 1);
    return tagged[i];
  }

  get connectionCount(): number {
    return this.connections.size;
  }

  async close(): Promise<void> {
    for (const c of this.connections) c.close('engine shutting down');
    const servers = this.servers.splice(0);
    await Promise.all(
      servers.map(
        (server) =>
          new Promise<void>((resolve) => {
            if (!server.listening) {
              resolve();
              return;
            }
            server.close(() => {
              resolve();
            });
          }),
      ),
    );
  }

  private adopt(socket: net.Socket): ControlConnection {
    socket.setNoDelay(true);
    const conn = new ControlConnection(socket, this.ctx, this.o.log);
    this.connections.add(conn);
    return conn;
  }
}
