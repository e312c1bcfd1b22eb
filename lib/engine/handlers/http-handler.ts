/**
 * Asking an HTTP(S) request handler what to do with a new request (protocol doc §1.2): GET (or
 * POST with the raw request as text/plain) with the request's particulars as query parameters,
 * plus each Request-URI parameter; the JSON answer becomes a HandlerAction. Bounded in time.
 */
import type { SipRequest } from '../../sip';
import { toError } from '../../util/errors';
import { HandlerError, parseHandlerAction, type HandlerAction } from './handler-action';

export interface HttpHandler {
  url: string;
  httpMethod: 'GET' | 'POST';
}

export interface RequestSource {
  transport: string;
  remoteAddress: string;
}

function userOf(uri: string): string {
  const m = /^[a-z][a-z0-9+.-]*:([^@;?]+)@/i.exec(uri.replace(/^.*<|>.*$/g, ''));
  return m?.[1] ?? '';
}

export function handlerQuery(req: SipRequest, source: RequestSource): URLSearchParams {
  const q = new URLSearchParams();
  const ruri = req.requestUri();
  q.set('method', req.method);
  q.set('domain', ruri.kind === 'sip' ? ruri.host : '');
  q.set('protocol', source.transport);
  q.set('source_address', source.remoteAddress);
  q.set('fromUser', userOf(req.header('from') ?? ''));
  q.set('toUser', userOf(req.header('to') ?? ''));
  q.set('uriUser', ruri.kind === 'sip' ? (ruri.user ?? '') : '');
  q.set('contentType', req.header('content-type') ?? '');
  q.set('uri', req.uri);
  if (ruri.kind === 'sip') for (const [name, value] of ruri.params) q.set(name, value ?? '');
  return q;
}

export async function askHttpHandler(
  handler: HttpHandler,
  req: SipRequest,
  source: RequestSource,
  timeoutMs: number,
): Promise<HandlerAction> {
  const url = new URL(handler.url);
  for (const [k, v] of handlerQuery(req, source)) url.searchParams.set(k, v);
  let res: Response;
  try {
    res = await fetch(url, {
      method: handler.httpMethod,
      signal: AbortSignal.timeout(timeoutMs),
      ...(handler.httpMethod === 'POST'
        ? { body: req.toBuffer().toString('utf8'), headers: { 'content-type': 'text/plain' } }
        : {}),
    });
  } catch (e) {
    throw new HandlerError(`${url.origin}: ${toError(e).message}`);
  }
  if (!res.ok) throw new HandlerError(`${url.origin}: HTTP ${res.status}`);
  return parseHandlerAction(await res.text());
}
