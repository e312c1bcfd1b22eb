/**
 * Request-URI and Route header of a request within a dialog (RFC 3261 §12.2.1.1):
 * - empty route set: Request-URI = remote target, no Route;
 * - first route has `lr` (loose routing, §16.12.1.1): Request-URI = remote target, Route = the
 *   route set in order with all parameters;
 * - otherwise (strict routing, RFC 2543): Request-URI = first route's URI without the parameters
 *   a Request-URI cannot carry (§19.1.1: `method` and URI headers), Route = the rest of the route
 *   set, then the remote target as the last value.
 */
import { formatUri, parseNameAddr, parseUri, type Uri } from '../index';
import { DialogError } from './errors';
import type { Dialog } from './types';

export interface RequestTarget {
  readonly uri: string;
  /** Route header values, in order */
  readonly routes: readonly string[];
  /** whether the next hop is a strict router (RFC 2543) */
  readonly strict: boolean;
}

function routeUri(value: string): Uri {
  const r = parseNameAddr(value);
  if (!r.ok) throw new DialogError('DIALOG_BAD_ROUTE', `bad route "${value}": ${r.error.message}`);
  return r.value.uri;
}

function isLoose(uri: Uri): boolean {
  return uri.kind === 'sip' && uri.params.has('lr');
}

/** §19.1.1 table: a Request-URI has no method parameter and no headers. */
function asRequestUri(uri: Uri): string {
  if (uri.kind !== 'sip') return formatUri(uri);
  const params = new Map(uri.params);
  params.delete('method');
  return formatUri({ ...uri, params, headers: new Map() });
}

export function requestTarget(dialog: Pick<Dialog, 'remoteTarget' | 'routeSet'>): RequestTarget {
  const [first, ...rest] = dialog.routeSet;
  if (first === undefined) return { uri: dialog.remoteTarget, routes: [], strict: false };
  const firstUri = routeUri(first);
  if (isLoose(firstUri)) return { uri: dialog.remoteTarget, routes: [...dialog.routeSet], strict: false };
  const target = parseUri(dialog.remoteTarget);
  if (!target.ok) throw new DialogError('DIALOG_BAD_ROUTE', `bad remote target "${dialog.remoteTarget}"`);
  return { uri: asRequestUri(firstUri), routes: [...rest, `<${dialog.remoteTarget}>`], strict: true };
}
