/**
 * Inbound trunk identification: which trunk a request comes from, by its source address and
 * transport, from `trunks[].inbound.sources` / `.transports`. The most specific (longest) matching
 * prefix wins; on equal prefixes the trunk listed first wins. No match means an unknown source
 * (the caller answers 403 unless it is a registered device).
 *
 * CIDRs are compiled once into one hash map per (family, prefix length); a lookup masks the source
 * to each prefix length present, longest first — at most 33 (IPv4) or 129 (IPv6) map probes, in
 * practice a handful, however many CIDRs are configured.
 */
import type { SipTransportName } from '../../sip/transport-names';
import type { TrunkConfig } from '../../config';
import { maskTo, parseCidr, parseIp } from './ip-address';

export type SipTransport = SipTransportName;

export interface PacketSource {
  address: string;
  port: number;
  transport: SipTransport;
}

export interface TrunkMatch<T> {
  trunk: T;
  /** The configured source block that matched, e.g. `198.51.100.0/28`. */
  cidr: string;
}

interface Entry<T> {
  trunk: T;
  cidr: string;
  transports: ReadonlySet<string>;
}

interface PrefixTable<T> {
  prefix: number;
  networks: Map<number | bigint, Entry<T>[]>;
}

type InboundTrunk = Pick<TrunkConfig, 'name' | 'inbound'>;

export class TrunkMatcher<T extends InboundTrunk = TrunkConfig> {
  private readonly v4: PrefixTable<T>[];
  private readonly v6: PrefixTable<T>[];

  constructor(trunks: readonly T[]) {
    const byFamily = { 4: new Map<number, PrefixTable<T>>(), 6: new Map<number, PrefixTable<T>>() };
    for (const trunk of trunks) {
      if (trunk.inbound === undefined) continue;
      const transports = new Set<string>(trunk.inbound.transports);
      for (const cidr of trunk.inbound.sources) {
        const block = parseCidr(cidr);
        const tables = byFamily[block.family];
        let table = tables.get(block.prefix);
        if (table === undefined) {
          table = { prefix: block.prefix, networks: new Map() };
          tables.set(block.prefix, table);
        }
        const list = table.networks.get(block.network) ?? [];
        list.push({ trunk, cidr, transports });
        table.networks.set(block.network, list);
      }
    }
    const longestFirst = (a: PrefixTable<T>, b: PrefixTable<T>) => b.prefix - a.prefix;
    this.v4 = [...byFamily[4].values()].sort(longestFirst);
    this.v6 = [...byFamily[6].values()].sort(longestFirst);
  }

  /** The trunk this source belongs to, or undefined for an unknown source (or unparsable address). */
  match(source: Pick<PacketSource, 'address' | 'transport'>): TrunkMatch<T> | undefined {
    const address = parseIp(source.address);
    if (address === undefined) return undefined;
    const tables = address.family === 4 ? this.v4 : this.v6;
    for (const table of tables) {
      const entries = table.networks.get(maskTo(address, table.prefix));
      const hit = entries?.find((entry) => entry.transports.has(source.transport));
      if (hit !== undefined) return { trunk: hit.trunk, cidr: hit.cidr };
    }
    return undefined;
  }
}
