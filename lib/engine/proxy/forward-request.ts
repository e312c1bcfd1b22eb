/**
 * The request a proxy forwards (RFC 3261 §16.6): a copy of the received one with preloaded
 * Routes naming us removed (§16.4), Max-Forwards decremented (70 when absent), the Request-URI
 * replaced by the destination only when it points at us (protocol doc §7), Record-Route (Path
 * and `Require: path` for REGISTER, RFC 3327) when the proxy stays in the dialog, and the app's
 * extra headers. Our Via is added by the stack when the branch's client transaction starts.
 */
import { parseOwn, type SipRequest } from '../../sip';
import type { SipStack } from '../../sip/stack';
import type { SendTarget } from '../../sip/transport';
import { canonicalName, headerKeyOf, takenFromApp } from '../app-message/header-policy';
import type { AppHeader } from '../app-message/parse-app-sip';
import { isOwnRoute, isOwnUriText, recordRouteFor } from './own-address';

/** Headers a proxy must not let the app change (they identify the transaction and dialog). */
const PROTECTED = new Set(['from', 'to', 'call-id', 'cseq', 'max-forwards', 'content-type', 'contact']);

/** A private copy of a message we can edit without touching the server transaction's. */
export function copyRequest(req: SipRequest): SipRequest {
  const copy = parseOwn(req.toBuffer());
  if (copy.kind !== 'request') throw new Error('copy of a request is not a request');
  return copy;
}

/** §16.4: drop the Route values at the top that name us; returns how many were removed. */
export function stripOwnRoutes(stack: SipStack, req: SipRequest, needLr: boolean): number {
  const routes = req.headers('route');
  let n = 0;
  while (n < routes.length && isOwnRoute(stack, routes[n] ?? '', needLr)) n++;
  if (n > 0) {
    const rest = routes.slice(n);
    if (rest.length === 0) req.removeHeader('route');
    else req.setHeader('Route', rest);
  }
  return n;
}

/** §16.6 item 3: Max-Forwards − 1 (70 when absent). Caller has checked it is not 0. */
export function decrementMaxForwards(req: SipRequest): void {
  const mf = req.maxForwards();
  req.setHeader('Max-Forwards', String(mf === undefined ? 70 : Math.max(0, mf - 1)));
}

export interface ForwardSpec {
  readonly destination: string;
  readonly target: SendTarget;
  /** Where the request came from (for a second Record-Route when transports differ, RFC 5658). */
  readonly inbound: SendTarget;
  readonly recordRoute: boolean;
  readonly appHeaders: readonly AppHeader[];
}

export function forwardedRequest(stack: SipStack, received: SipRequest, spec: ForwardSpec): SipRequest {
  const req = copyRequest(received);
  stripOwnRoutes(stack, req, false);
  decrementMaxForwards(req);
  if (isOwnUriText(stack, req.uri)) req.setUri(spec.destination);
  if (spec.recordRoute) addRecordRoute(stack, req, spec);
  for (const [name, value] of spec.appHeaders) {
    const key = headerKeyOf(name);
    if (!takenFromApp(key) || PROTECTED.has(key)) continue;
    if (req.hasHeader(key)) req.setHeader(canonicalName(name), value);
    else req.appendHeader(canonicalName(name), value);
  }
  return req;
}

function addRecordRoute(stack: SipStack, req: SipRequest, spec: ForwardSpec): void {
  const out = recordRouteFor(stack, spec.target);
  const inn = recordRouteFor(stack, spec.inbound);
  const values = out === inn ? [out] : [out, inn];
  if (req.method === 'REGISTER') {
    req.prependHeader('Path', values);
    const require = req.headers('require');
    if (!require.some((r) => r.toLowerCase() === 'path')) req.setHeader('Require', [...require, 'path']);
    return;
  }
  req.prependHeader('Record-Route', values);
}
