/**
 * IP addresses and CIDR blocks as numbers, for prefix matching without string work per packet:
 * IPv4 as an unsigned 32-bit number, IPv6 as a 128-bit bigint. IPv4-mapped IPv6 sources
 * (`::ffff:198.51.100.7`, as dual-stack sockets report them) are treated as the IPv4 address.
 */
import { isIP } from 'node:net';
import { PalisadeError } from '../../util/errors';

export type IpAddress = { family: 4; value: number } | { family: 6; value: bigint };

export interface CidrBlock {
  family: 4 | 6;
  /** Network address, host bits cleared. */
  network: number | bigint;
  prefix: number;
}

const V4_MAPPED = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i;

function v4Value(text: string): number {
  return text.split('.').reduce((acc, octet) => acc * 256 + Number(octet), 0);
}

function v6Value(text: string): bigint {
  let body = text;
  const tailV4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(body)?.[1];
  if (tailV4 !== undefined) {
    const n = v4Value(tailV4);
    body = `${body.slice(0, -tailV4.length)}${(n >>> 16).toString(16)}:${(n & 0xffff).toString(16)}`;
  }
  const [head = '', tail] = body.split('::');
  const headGroups = head === '' ? [] : head.split(':');
  const tailGroups = tail === undefined || tail === '' ? [] : tail.split(':');
  const zeros = new Array<string>(8 - headGroups.length - tailGroups.length).fill('0');
  let value = 0n;
  for (const group of [...headGroups, ...zeros, ...tailGroups])
    value = (value << 16n) | BigInt(parseInt(group, 16));
  return value;
}

/** Parse an address as a socket reports it (brackets and a `%zone` are tolerated); undefined if not an IP. */
export function parseIp(raw: string): IpAddress | undefined {
  const text = raw.replace(/^\[(.*)\]$/, '$1').replace(/%.*$/, '');
  const family = isIP(text);
  if (family === 4) return { family: 4, value: v4Value(text) };
  if (family !== 6) return undefined;
  const mapped = V4_MAPPED.exec(text)?.[1];
  if (mapped !== undefined) return { family: 4, value: v4Value(mapped) };
  return { family: 6, value: v6Value(text) };
}

/** Keep the first `prefix` bits of an address (the network part). */
export function maskTo(address: IpAddress, prefix: number): number | bigint {
  if (address.family === 4) {
    return prefix === 0 ? 0 : (address.value & (~0 << (32 - prefix))) >>> 0;
  }
  const hostBits = BigInt(128 - prefix);
  return (address.value >> hostBits) << hostBits;
}

/** Parse `198.51.100.0/28`, `2001:db8::/32` or a bare address (a single host). */
export function parseCidr(text: string): CidrBlock {
  const [addressText = '', prefixText, ...rest] = text.split('/');
  const address = parseIp(addressText);
  const mappedV4 = address?.family === 4 && isIP(addressText) === 6;
  const max = address?.family === 4 ? 32 : 128;
  let prefix = prefixText === undefined ? max : Number(prefixText);
  if (mappedV4 && prefixText !== undefined) prefix -= 96;
  if (address === undefined || rest.length > 0 || !Number.isInteger(prefix) || prefix < 0 || prefix > max) {
    throw new PalisadeError('SBC_BAD_CIDR', `not a CIDR block: "${text}"`);
  }
  return { family: address.family, network: maskTo(address, prefix), prefix };
}
