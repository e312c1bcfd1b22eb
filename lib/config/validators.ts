/**
 * Pure syntax checks for the values that appear in a configuration file: IP addresses, host names,
 * host:port pairs, CIDR blocks, SIP URIs (RFC 3261 §19.1.1), SIP status ranges. No I/O.
 */
import { isIP } from 'node:net';

/** RFC 1123 host name: dot-separated labels of letters, digits and inner hyphens. */
export function isHostname(value: string): boolean {
  if (value.length === 0 || value.length > 253) return false;
  return value
    .replace(/\.$/, '')
    .split('.')
    .every((label) => /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/.test(label));
}

export function isIpAddress(value: string): boolean {
  return isIP(value) !== 0;
}

export function isHost(value: string): boolean {
  return isIpAddress(value) || (isHostname(value) && !/^[0-9.]+$/.test(value));
}

/** True for 127.0.0.0/8, ::1 and the IPv4-mapped loopback range. */
export function isLoopback(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (bare === 'localhost' || bare === '::1') return true;
  const v4 = bare.startsWith('::ffff:') ? bare.slice(7) : bare;
  return isIP(v4) === 4 && v4.startsWith('127.');
}

export function isWildcard(address: string): boolean {
  return address === '0.0.0.0' || address === '::';
}

export interface HostPort {
  host: string;
  port: number;
}

/** Parse `host:port`, `[v6]:port`; host is an IP address or a host name. */
export function parseHostPort(value: string): HostPort | undefined {
  const m = /^(?:\[([0-9A-Fa-f:.]+)\]|([^:[\]]+)):(\d{1,5})$/.exec(value);
  if (!m) return undefined;
  const host = m[1] ?? m[2] ?? '';
  const port = Number(m[3]);
  if (port < 1 || port > 65535) return undefined;
  if (m[1] !== undefined ? isIP(host) !== 6 : !isHost(host)) return undefined;
  return { host, port };
}

/** Why a CIDR block (or a bare address, meaning /32 or /128) is not valid, or undefined if it is. */
export function cidrProblem(value: string): string | undefined {
  const [address = '', prefix, ...rest] = value.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return 'not an IPv4/IPv6 address or CIDR block';
  if (prefix === undefined) return undefined;
  const max = family === 4 ? 32 : 128;
  if (!/^\d{1,3}$/.test(prefix) || Number(prefix) > max) return `prefix length must be 0-${max}`;
  return hostBitsSet(address, family, Number(prefix))
    ? 'host bits set after the prefix length (use the network address)'
    : undefined;
}

function hostBitsSet(address: string, family: number, prefix: number): boolean {
  const bytes = family === 4 ? address.split('.').map(Number) : ipv6Bytes(address);
  for (let bit = prefix; bit < bytes.length * 8; bit++) {
    if ((((bytes[bit >> 3] ?? 0) >> (7 - (bit & 7))) & 1) === 1) return true;
  }
  return false;
}

function ipv6Bytes(address: string): number[] {
  let text = address;
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4?.[1] !== undefined) {
    const [a = 0, b = 0, c = 0, d = 0] = v4[1].split('.').map(Number);
    text = text.slice(0, -v4[1].length) + `${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const headGroups = head === '' ? [] : head.split(':');
  const tailGroups = tail === undefined || tail === '' ? [] : tail.split(':');
  const zeros = new Array<string>(8 - headGroups.length - tailGroups.length).fill('0');
  return [...headGroups, ...zeros, ...tailGroups].flatMap((g) => {
    const n = parseInt(g, 16);
    return [n >> 8, n & 0xff];
  });
}

const SIP_URI =
  /^sips?:(?:[^@\s;?]+@)?(?<host>\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+)(?::(?<port>\d{1,5}))?(?:;[^\s?]*)?(?:\?\S*)?$/i;

/** A SIP or SIPS URI with a host (RFC 3261 §19.1.1); the host is an IP, [IPv6] or host name. */
export function isSipUri(value: string): boolean {
  const m = SIP_URI.exec(value);
  const host = m?.groups?.['host'];
  const port = m?.groups?.['port'];
  if (host === undefined) return false;
  if (port !== undefined && (Number(port) < 1 || Number(port) > 65535)) return false;
  if (host.startsWith('[')) return isIP(host.slice(1, -1)) === 6;
  return isHost(host) || isIP(host) === 4;
}

/** `500-599` → [500, 599]; a single code `408` → [408, 408]; undefined if malformed. */
export function parseStatusRange(value: number | string): [number, number] | undefined {
  const m = /^\s*(\d{3})\s*(?:-\s*(\d{3})\s*)?$/.exec(String(value));
  if (!m) return undefined;
  const from = Number(m[1]);
  return [from, m[2] === undefined ? from : Number(m[2])];
}

/** True if `status` falls in one of the configured failover codes/ranges. */
export function statusInRanges(ranges: readonly (number | string)[], status: number): boolean {
  return ranges.some((r) => {
    const range = parseStatusRange(r);
    return range !== undefined && status >= range[0] && status <= range[1];
  });
}
