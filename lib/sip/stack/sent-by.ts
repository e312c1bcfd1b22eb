/**
 * The sent-by (host:port) we put in our Via for a listener: its advertised address when set
 * (1:1 NAT, cloud), else its bound address, else — for a wildcard bind — this host's first
 * non-internal address of the right family (loopback as the last resort).
 */
import { networkInterfaces } from 'node:os';
import type { ListenerInfo } from '../transport';

const isWildcard = (a: string): boolean => a === '0.0.0.0' || a === '::';

export function hostAddress(family: 'IPv4' | 'IPv6'): string {
  for (const list of Object.values(networkInterfaces())) {
    for (const info of list ?? []) {
      if (info.family === family && !info.internal) return info.address;
    }
  }
  return family === 'IPv4' ? '127.0.0.1' : '::1';
}

export function sentBy(listener: ListenerInfo): { host: string; port: number } {
  if (listener.advertise) return listener.advertise;
  const host = isWildcard(listener.address)
    ? hostAddress(listener.address === '::' ? 'IPv6' : 'IPv4')
    : listener.address;
  return { host, port: listener.port };
}
