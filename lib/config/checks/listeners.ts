/**
 * SIP listener cross-checks: TLS material only on (and required by) tls/wss listeners, and no two
 * listeners that would bind the same socket (same IP protocol and port, and the same address or
 * one of them the wildcard of that address family).
 */
import { isIP } from 'node:net';
import type { Problem } from './problem';
import { isWildcard } from '../validators';

export interface ListenerLike {
  transport: 'udp' | 'tcp' | 'tls' | 'ws' | 'wss';
  address: string;
  port: number;
  cert?: string | undefined;
  key?: string | undefined;
  ca?: string | undefined;
  requireClientCert?: boolean | undefined;
}

const SECURE = new Set(['tls', 'wss']);

export function checkListeners(listeners: readonly ListenerLike[]): Problem[] {
  return [...listeners.flatMap(tlsProblems), ...bindConflicts(listeners)];
}

function tlsProblems(l: ListenerLike, i: number): Problem[] {
  const problems: Problem[] = [];
  if (SECURE.has(l.transport)) {
    if (l.cert === undefined)
      problems.push({ path: [i, 'cert'], message: `required for a ${l.transport} listener` });
    if (l.key === undefined)
      problems.push({ path: [i, 'key'], message: `required for a ${l.transport} listener` });
    return problems;
  }
  for (const field of ['cert', 'key', 'ca'] as const) {
    if (l[field] !== undefined)
      problems.push({ path: [i, field], message: 'only valid for tls and wss listeners' });
  }
  if (l.requireClientCert === true) {
    problems.push({ path: [i, 'requireClientCert'], message: 'only valid for tls and wss listeners' });
  }
  return problems;
}

function bindConflicts(listeners: readonly ListenerLike[]): Problem[] {
  const problems: Problem[] = [];
  listeners.forEach((l, i) => {
    const earlier = listeners.findIndex((o, j) => j < i && sameSocket(o, l));
    if (earlier >= 0) {
      const proto = l.transport === 'udp' ? 'udp' : 'tcp';
      problems.push({
        path: [i],
        message: `binds the same ${proto} socket as sip.listen[${earlier}] (${l.address} port ${l.port})`,
      });
    }
  });
  return problems;
}

function sameSocket(a: ListenerLike, b: ListenerLike): boolean {
  if (a.port !== b.port || (a.transport === 'udp') !== (b.transport === 'udp')) return false;
  if (a.address === b.address) return true;
  const sameFamily = isIP(a.address) === isIP(b.address);
  return sameFamily && (isWildcard(a.address) || isWildcard(b.address));
}
