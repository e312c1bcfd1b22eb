/**
 * CRLF keepalives for apps (issue 7 point 4; RFC 5626 §4.4.1 and §3.5.1): the drachtio control
 * protocol has no verb for writing raw bytes on a flow, so an app asks with an OPTIONS carrying
 * the Palisade-private header `X-Palisade-Keepalive: crlf`. The engine never sends that request:
 * it writes a double CRLF ("ping") to the request's next hop (the flow, from `routeUri` / srf
 * `proxy`) from the listener that flow uses, echoes the request to the app as usual (without the
 * private header) and answers it itself — 200 once the datagram is out, 503 if it could not be
 * sent. A CRLF ping over UDP gets no answer (a pong is only defined for connection-oriented
 * transports), so the 200 says "sent", never "the NAT mapping is alive": CRLF keepalives run at
 * a fixed interval; adaptive learning needs OPTIONS.
 */
import { randomUuid } from '../../util/random-token';
import { parseOwn, responseTo, type SipResponse, type SipRequest } from '../../sip';
import { buildNewRequest } from '../app-message/build-request';
import type { AppSip } from '../app-message/parse-app-sip';
import type { ControlConnection } from '../control/control-connection';
import { deliverResponse } from './deliver-response';
import type { EngineDeps } from './engine-deps';
import { echoSent } from './echo-sent';
import { localAddressFor } from './local-address';
import { resolveNextHop } from './next-hop';

type AppRequest = Extract<AppSip, { kind: 'request' }>;

export const KEEPALIVE_HEADER = 'x-palisade-keepalive';
export const CRLF_PING = Buffer.from('\r\n\r\n', 'latin1');

/** An app's OPTIONS asking for a CRLF keepalive (the header's value is `crlf`). */
export function isCrlfKeepalive(app: AppRequest): boolean {
  return (
    app.method === 'OPTIONS' &&
    app.headers.some(([n, v]) => n.toLowerCase() === KEEPALIVE_HEADER && v.trim().toLowerCase() === 'crlf')
  );
}

function answer(request: SipRequest, status: 200 | 503): SipResponse {
  const res = parseOwn(responseTo(request, status));
  if (res.kind !== 'response') throw new Error('keepalive answer did not parse as a response');
  return res;
}

export async function sendCrlfKeepalive(
  deps: EngineDeps,
  conn: ControlConnection,
  msgId: string,
  app: AppRequest,
  routeUri: string | undefined,
): Promise<void> {
  const target = await resolveNextHop(routeUri ?? app.uri);
  const plain: AppRequest = {
    kind: 'request',
    method: app.method,
    uri: app.uri,
    headers: app.headers.filter(([n]) => n.toLowerCase() !== KEEPALIVE_HEADER),
    body: app.body,
  };
  const request = buildNewRequest(plain, localAddressFor(deps.stack, target));
  const txnId = randomUuid();
  echoSent(conn, msgId, deps, request, target, txnId);
  const flow = { transport: target.transport, remoteAddress: target.address, remotePort: target.port };
  try {
    await deps.stack.send(target, CRLF_PING);
    deliverResponse(conn, answer(request, 200), flow, txnId, undefined);
  } catch (e) {
    deps.log.debug(
      { err: (e as Error).message, target: `${target.address}:${target.port}` },
      'CRLF keepalive not sent',
    );
    deliverResponse(conn, answer(request, 503), flow, txnId, undefined);
  }
}
