/**
 * Address classes for NAT decisions: is an address one a client could be reached at from the
 * Internet, or one that only makes sense inside its own network? IPv4-mapped IPv6 addresses are
 * classified as the IPv4 address (parseIp does that). Blocks (most specific listed first):
 *   RFC 1918 private, RFC 6598 shared (carrier-grade NAT), RFC 1122 loopback / "this network",
 *   RFC 3927 and RFC 4291 link-local, RFC 4193 unique-local, RFC 5737 / RFC 3849 / RFC 9637
 *   documentation, RFC 5771 / RFC 4291 multicast.
 * Documentation addresses count as routable: the NAT lab uses them as "the Internet".
 */
import { type CidrBlock, type IpAddress, maskTo, parseCidr, parseIp } from '../routing/ip-address';

export type AddressClass =
  | 'private'
  | 'shared'
  | 'loopback'
  | 'link-local'
  | 'unique-local'
  | 'documentation'
  | 'unspecified'
  | 'multicast'
  | 'public';

const BLOCKS: readonly (readonly [string, AddressClass])[] = [
  ['0.0.0.0/8', 'unspecified'], // RFC 1122 §3.2.1.3 "this network"
  ['10.0.0.0/8', 'private'],
  ['172.16.0.0/12', 'private'],
  ['192.168.0.0/16', 'private'],
  ['100.64.0.0/10', 'shared'],
  ['127.0.0.0/8', 'loopback'],
  ['169.254.0.0/16', 'link-local'],
  ['192.0.2.0/24', 'documentation'], // TEST-NET-1
  ['198.51.100.0/24', 'documentation'], // TEST-NET-2
  ['203.0.113.0/24', 'documentation'], // TEST-NET-3
  ['224.0.0.0/4', 'multicast'],
  ['::/128', 'unspecified'],
  ['::1/128', 'loopback'],
  ['fe80::/10', 'link-local'],
  ['fc00::/7', 'unique-local'],
  ['2001:db8::/32', 'documentation'],
  ['3fff::/20', 'documentation'],
  ['ff00::/8', 'multicast'],
];

const COMPILED: readonly (readonly [CidrBlock, AddressClass])[] = BLOCKS.map(([cidr, cls]) => [
  parseCidr(cidr),
  cls,
]);

export function inBlock(ip: IpAddress, block: CidrBlock): boolean {
  return ip.family === block.family && maskTo(ip, block.prefix) === block.network;
}

/** The class of a parsed address; the first (most specific) matching block wins. */
export function classifyIp(ip: IpAddress): AddressClass {
  for (const [block, cls] of COMPILED) if (inBlock(ip, block)) return cls;
  return 'public';
}

/** The class of an address written as text (brackets and %zone tolerated); undefined if not an IP. */
export function classifyAddress(text: string): AddressClass | undefined {
  const ip = parseIp(text);
  return ip === undefined ? undefined : classifyIp(ip);
}

/**
 * Addresses that say "this client is inside its own network": a peer on the Internet cannot
 * send to them. Unspecified (SDP hold, RFC 3264 §8.4) and multicast are neither.
 */
export function isInternalClass(cls: AddressClass): boolean {
  switch (cls) {
    case 'private':
    case 'shared':
    case 'loopback':
    case 'link-local':
    case 'unique-local':
      return true;
    case 'documentation':
    case 'unspecified':
    case 'multicast':
    case 'public':
      return false;
  }
}

/**
 * Operator view of "internal": the built-in classes plus configured blocks (customer LANs that
 * squat on public space, or the NAT lab's documentation-addressed home LANs).
 */
export class InternalNetworks {
  private readonly extra: readonly CidrBlock[];
  private readonly exempt: readonly CidrBlock[];

  /**
   * @param extraCidrs blocks counted as internal on top of the built-in classes
   * @param publicCidrs blocks counted as public whatever their class (a carrier's private
   *   network, or the loopback "Internet" of a single-host test); they win over extraCidrs
   */
  constructor(extraCidrs: readonly string[] = [], publicCidrs: readonly string[] = []) {
    this.extra = extraCidrs.map((cidr) => parseCidr(cidr));
    this.exempt = publicCidrs.map((cidr) => parseCidr(cidr));
  }

  /** True for an IP literal in an internal block; false for public addresses and host names. */
  isInternal(text: string): boolean {
    const ip = parseIp(text);
    if (ip === undefined) return false;
    if (this.exempt.some((block) => inBlock(ip, block))) return false;
    return isInternalClass(classifyIp(ip)) || this.extra.some((block) => inBlock(ip, block));
  }
}

/** Same address, compared numerically (`::ffff:192.0.2.1` = `192.0.2.1`, `2001:DB8::1` = `2001:db8:0::1`). */
export function sameAddress(a: string, b: string): boolean {
  const x = parseIp(a);
  const y = parseIp(b);
  return x !== undefined && y !== undefined && x.family === y.family && x.value === y.value;
}

/** True when the text is an IPv4 or IPv6 literal (with or without brackets). */
export function isIpLiteral(text: string): boolean {
  return parseIp(text) !== undefined;
}
