/**
 * A final response the engine itself sends to a network request (no app routed the method, the
 * app vanished, no PRACK came, Session-Expires too small, nothing to proxy to, …). For an initial
 * INVITE that ends the call leg the `cdr:attempt` was sent for, so a `cdr:stop` (source
 * `application`, call-rejected / call-canceled) goes with it (protocol doc §4.3, §6.1 item 6).
 */
import { parseOwn, responseTo, type SipResponse } from '../../sip';
import type { ServerTransaction } from '../../sip/stack';
import type { CdrSink } from '../cdr/cdr-emitter';

export interface EngineFinalOptions {
  reason?: string | undefined;
  headers?: readonly (readonly [string, string])[] | undefined;
}

/** Sends `status` on `txn` unless it already has a final response; returns what was sent. */
export function engineFinal(
  deps: { cdr?: CdrSink | undefined },
  txn: ServerTransaction,
  status: number,
  o: EngineFinalOptions = {},
): SipResponse | undefined {
  if (txn.finalResponseStatus !== undefined || !txn.hasRequest) return undefined;
  const res = parseOwn(
    // One shape (responseTo reads each with ??): conditional spreads made a hidden class per response.
    responseTo(txn.request, status, { reason: o.reason, headers: o.headers, toTag: txn.localTag }),
  );
  if (res.kind !== 'response') return undefined;
  txn.respond(res);
  cdrForFinal(deps, txn, res, 'application');
  return res;
}

/** `cdr:stop` (or `start`) for a final response to an initial INVITE this side sent on `txn`. */
export function cdrForFinal(
  deps: { cdr?: CdrSink | undefined },
  txn: ServerTransaction,
  res: SipResponse,
  source: 'application' | 'network',
  role: 'uas' | 'proxy-uas' = 'uas',
): void {
  if (txn.method === 'INVITE' && txn.requestToTag === undefined) deps.cdr?.final(source, role, res);
}
