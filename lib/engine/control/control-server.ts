/**
 * The control listener apps connect to (drachtio-server's admin port, default 9022; optional TLS).
 * It sends nothing until the app speaks (§1.1), tracks routed verbs per connection, and tells the
 * engine core when an app goes away so its pending transactions can be answered.
 */
import net from 'node:net';
import tls from 'node:tls';
import type { Log } from '../../util/logger';
import { PalisadeError } from '../../util/errors';
import { AppRegistry } from './app-registry';
import { ControlConnection, type ControlContext } from './control-connection';

export interface ControlServerOptions {
  address: string;
  port: number;
  secret: string;
  version: string;
  tls?: { key: Buffer; cert: Buffer };
  hostports: () => { external: string; local: string };
  onTraffic: ControlContext['onTraffic'];
  onAppGone?: (conn: ControlConnection) => void;
  log: Log;
}

export class ControlServer {
  readonly apps = new AppRegistry<ControlConnection>();
  private readonly connections = new Set<ControlConnection>();
  private server: net.Server | undefined;

  constructor(private readonly o: ControlServerOptions) {}

  async listen(): Promise<{ address: string; port: number }> {
    const ctx: ControlContext = {
      secret: this.o.secret,
      version: this.o.version,
      hostports: () => this.o.hostports(),
      onTraffic: this.o.onTraffic,
      onRoute: (conn, verb, add) => {
        if (add) this.apps.addRoute(conn, verb);
        else this.apps.removeRoute(conn, verb);
      },
      onClose: (conn) => {
        this.connections.delete(conn);
        this.apps.removeApp(conn);
        this.o.log.info({ app: conn.remote }, 'app disconnected');
        this.o.onAppGone?.(conn);
      },
    };
    const accept = (socket: net.Socket): void => {
      socket.setNoDelay(true);
      this.connections.add(new ControlConnection(socket, ctx, this.o.log));
    };
    const server = this.o.tls
      ? tls.createServer({ key: this.o.tls.key, cert: this.o.tls.cert }, accept)
      : net.createServer(accept);
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', (e: Error) => {
        reject(
          new PalisadeError('CONTROL_LISTEN', `control port ${this.o.address}:${this.o.port}: ${e.message}`),
        );
      });
      server.listen(this.o.port, this.o.address, resolve);
    });
    server.on('error', (e: Error) => {
      this.o.log.error({ err: e }, 'control server error');
    });
    const addr = server.address() as net.AddressInfo;
    return { address: addr.address, port: addr.port };
  }

  get connectionCount(): number {
    return this.connections.size;
  }

  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    for (const c of this.connections) c.close('engine shutting down');
    await new Promise<void>((resolve) => {
      server.close(() => {
        resolve();
      });
    });
  }
}
