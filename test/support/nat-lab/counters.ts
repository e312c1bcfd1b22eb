/**
 * Packet counters in a namespace: an iptables rule without a target (it only counts) in INPUT or
 * OUTPUT, found again by its comment. Used to count RTP reaching a UA or the carrier, and the
 * SIP packets a host receives from a given address.
 */
import { nsRun } from './netns';

export interface CounterMatch {
  chain?: 'INPUT' | 'OUTPUT';
  proto?: 'udp' | 'tcp';
  src?: string;
  dst?: string;
  sport?: number;
  dport?: number;
}

export interface PacketCounter {
  readonly ns: string;
  readonly name: string;
  /** Packets counted so far. */
  packets(): Promise<number>;
}

let seq = 0;

export async function addCounter(ns: string, label: string, m: CounterMatch): Promise<PacketCounter> {
  seq += 1;
  const name = `cnt-${label}-${seq}`.replace(/[^A-Za-z0-9_.-]/g, '_');
  const chain = m.chain ?? 'INPUT';
  const args = ['-w', '5', '-A', chain, '-p', m.proto ?? 'udp'];
  if (m.src !== undefined) args.push('-s', m.src);
  if (m.dst !== undefined) args.push('-d', m.dst);
  if (m.sport !== undefined) args.push('--sport', String(m.sport));
  if (m.dport !== undefined) args.push('--dport', String(m.dport));
  args.push('-m', 'comment', '--comment', name);
  await nsRun(ns, 'iptables', args);
  return {
    ns,
    name,
    async packets() {
      const { stdout } = await nsRun(ns, 'iptables', ['-w', '5', '-nvxL', chain]);
      const line = stdout.split('\n').find((l) => l.includes(`/* ${name} */`));
      if (line === undefined) throw new Error(`counter ${name} not found in ${ns}/${chain}`);
      return Number(line.trim().split(/\s+/)[0]);
    },
  };
}
