/**
 * The operations HTTP endpoint (own port): /metrics for Prometheus, /health for liveness,
 * /ready for readiness (503 with the per-dependency JSON while not ready).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Log } from '../util/logger';
import { PalisadeError, toError } from '../util/errors';
import type { Metrics } from './metrics';
import type { Readiness } from './readiness';

export interface OpsServerOptions {
  address: string;
  port: number;
  metrics: Metrics;
  readiness: Readiness;
  log: Log;
}

export interface OpsServer {
  readonly url: string;
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
): Promise<void> {
  const path = (req.url ?? '/').split('?')[0] ?? '/';
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

export async function startOpsServer(options: OpsServerOptions): Promise<OpsServer> {
  const server = http.createServer((req, res) => {
    handle(req, res, options).catch((e: unknown) => {
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
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => {
          resolve();
        });
        server.closeAllConnections();
      }),
  };
}
