/**
 * Request handlers per SIP method (`*` = any), drachtio-server's outbound mode (protocol doc
 * §1.2): `tcp://host:port` / `tls://host:port` (connect to an app) or an HTTP(S) URL (ask it).
 */
import { parseAppUrl, type OutboundTarget } from '../control/outbound-dial';
import { PalisadeError } from '../../util/errors';
import type { HttpHandler } from './http-handler';

export interface RequestHandlerConfig {
  /** SIP method, case-insensitive, or `*`. */
  method: string;
  url: string;
  /** For HTTP(S) handlers; default GET. */
  httpMethod?: 'GET' | 'POST';
}

export type RequestHandler = { kind: 'app'; target: OutboundTarget } | ({ kind: 'http' } & HttpHandler);

export function toRequestHandler(c: RequestHandlerConfig): RequestHandler {
  const target = parseAppUrl(c.url);
  if (target) return { kind: 'app', target };
  if (/^https?:\/\/[^/]/i.test(c.url)) return { kind: 'http', url: c.url, httpMethod: c.httpMethod ?? 'GET' };
  throw new PalisadeError(
    'REQUEST_HANDLER_CONFIG',
    `request handler for ${c.method}: "${c.url}" is not tcp://host:port, tls://host:port or an http(s) URL`,
  );
}

/** Handlers by upper-case method; a `*` entry catches every method without its own. */
export class RequestHandlers {
  private readonly byMethod = new Map<string, RequestHandler>();

  constructor(configs: readonly RequestHandlerConfig[]) {
    for (const c of configs) this.byMethod.set(c.method.toUpperCase(), toRequestHandler(c));
  }

  for(method: string): RequestHandler | undefined {
    return this.byMethod.get(method.toUpperCase()) ?? this.byMethod.get('*');
  }

  get size(): number {
    return this.byMethod.size;
  }
}
