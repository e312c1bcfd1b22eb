/** Address normalisation so that table keys match however an address was spelt. */
import { isIP } from 'node:net';
import type { TransportKind } from './types';

/** Strip IPv6 brackets, unmap IPv4-mapped IPv6 (`::ffff:192.0.2.1`), lower-case names. */
export function normaliseAddress(address: string): string {
  let a = address.trim().toLowerCase();
  if (a.startsWith('[') && a.endsWith(']')) a = a.slice(1, -1);
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(a);
  if (mapped?.[1] !== undefined) return mapped[1];
  return a;
}

export function flowKey(transport: TransportKind, address: string, port: number): string {
  return `${transport}|${normaliseAddress(address)}|${port}`;
}

export function addressFamily(address: string): 4 | 6 | 0 {
  const family = isIP(normaliseAddress(address));
  return family === 4 || family === 6 ? family : 0;
}

export function isWildcard(address: string): boolean {
  const a = normaliseAddress(address);
  return a === '0.0.0.0' || a === '::';
}
