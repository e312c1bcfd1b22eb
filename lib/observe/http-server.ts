/**
 * The operations HTTP endpoint (own port): /metrics for Prometheus, /health for liveness,
 * /ready for readiness (503 with the per-dependency JSON while not ready), plus admin routes
 * (JSON queries and actions such as drain) registered by the composition root under /admin/.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Log } from '../util/logger';
import { PalisadeError, toError } from '../util/errors';
import type { Metrics } from './metrics';
import type { Readiness } from './readiness';

export interface AdminReply {
  status: number;
  body: unknown;
}

/** One admin endpoint, e.g. `GET /admin/nat/alg-suspects` or `POST /admin/drain`. */
export interface AdminRoute {
  method: 'GET' | 'POST';
  /** Exact path, starting with /admin/. */
  path: string;
  handle(query: URLSearchParams): Promise<AdminReply>;
}

export interface OpsServerOptions {
  address: string;
  port: number;
  metrics: Metrics;
  readiness: Readiness;
  log: Log;
}

export interface OpsServer {
  readonly url: string;
  /** Adds an admin endpoint (components register theirs once they exist). */
  addAdminRoute(route: AdminRoute): void;
  close(): Promise<void>;
}

function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

async function handle(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  o: OpsServerOptions,
  admin: readonly AdminRoute[],
): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://ops');
  const path = url.pathname;
  if (path.startsWith('/admin/')) {
    await handleAdmin(req, res, path, url.searchParams, admin);
    return;
  }
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    sendJson(res, 405, { error: 'method not allowed' });
    return;
  }
  switch (path) {
    case '/metrics': {
      const { contentType, body } = await o.metrics.render();
      res.writeHead(200, { 'content-type': contentType });
      res.end(body);
      return;
    }
    case '/health':
      sendJson(res, 200, { status: 'ok' });
      return;
    case '/ready': {
      const snap = o.readiness.snapshot();
      sendJson(res, snap.ready ? 200 : 503, snap);
      return;
    }
    default:
      sendJson(res, 404, { error: 'not found' });
  }
}

async function handleAdmin(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  path: string,
  query: URLSearchParams,
  routes: readonly AdminRoute[],
): Promise<void> {
  const onPath = routes.filter((r) => r.path === path);
  const route = onPath.find((r) => r.method === req.method);
  if (route === undefined) {
    if (onPath.length === 0) sendJson(res, 404, { error: 'not found' });
    else sendJson(res, 405, { error: 'method not allowed' });
    return;
  }
  const reply = await route.handle(query);
  sendJson(res, reply.status, reply.body);
}

export async function startOpsServer(options: OpsServerOptions): Promise<OpsServer> {
  const admin: AdminRoute[] = [];
  const server = http.createServer((req, res) => {
    handle(req, res, options, admin).catch((e: unknown) => {
      options.log.error({ err: toError(e), url: req.url }, 'ops request failed');
      if (!res.headersSent) sendJson(res, 500, { error: 'internal error' });
      else res.destroy();
    });
  });
  server.keepAliveTimeout = 5000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', (e) => {
      reject(
        new PalisadeError('OPS_LISTEN', `cannot listen on ${options.address}:${options.port}: ${e.message}`),
      );
    });
    server.listen(options.port, options.address, resolve);
  });
  const addr = server.address() as AddressInfo;
  const host = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
  return {
    url: `http://${host}:${addr.port}`,
    addAdminRoute: (route) => {
      if (admin.some((r) => r.path === route.path && r.method === route.method))
        throw new PalisadeError('OPS_ROUTE', `admin route ${route.method} ${route.path} registered twice`);
      admin.push(route);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => {
          resolve();
        });
        server.closeAllConnections();
      }),
  };
}
