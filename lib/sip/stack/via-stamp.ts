/**
 * Via handling at the transport boundary.
 * - Incoming requests (§18.2.1, RFC 3581 §4): add `received` when the sent-by host is not the
 *   packet's source, and fill an empty `rport` with the source port.
 * - Outgoing requests: our own Via with a fresh RFC 3261 branch and an empty `rport` (RFC 3581 §3),
 *   so responses come back through any NAT in front of us.
 */
import { randomToken } from '../../util/random-token';
import type { SipRequest } from '../request';
import type { Flow, TransportKind } from '../transport';
import { MAGIC_COOKIE } from '../transaction';

/** Branch: magic cookie + 16 random bytes (unique across space and time, §8.1.1.7). */
export function newBranch(): string {
  return `${MAGIC_COOKIE}${randomToken(12)}`;
}

const RPORT_EMPTY = /;\s*rport(?=\s*(?:;|$))/i;

/** Stamp received/rport on the top Via of a request that just arrived; returns true if changed. */
export function stampReceived(req: SipRequest, flow: Flow): boolean {
  const top = req.via()[0];
  const values = req.headers('via');
  const first = values[0];
  if (!top || first === undefined) return false;
  let value = first;
  const hasRport = top.rport !== undefined;
  if (top.rport === null) value = value.replace(RPORT_EMPTY, `;rport=${flow.remotePort}`);
  const sourceHost = flow.remoteAddress;
  const sentByHost = top.host.replace(/^\[|\]$/g, '');
  if ((sentByHost !== sourceHost || hasRport) && top.received === undefined) {
    value += `;received=${sourceHost}`;
  }
  if (value === first) return false;
  values[0] = value;
  req.setHeader('via', values);
  return true;
}

export function viaTransportToken(t: TransportKind): string {
  return t.toUpperCase();
}

export function formatHostPort(host: string, port: number): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]:${port}` : `${host}:${port}`;
}

export function ownVia(transport: TransportKind, host: string, port: number, branch: string): string {
  return `SIP/2.0/${viaTransportToken(transport)} ${formatHostPort(host, port)};branch=${branch};rport`;
}
