/**
 * The iptables/sysctl set-up of one home router namespace (`natN`): WAN interface `wan`, LAN
 * interface `lan`. Facts behind each rule: /work/shared/docs/nat-lab.md and docs/nat-lab.md.
 *
 * - port-preserving NAT: MASQUERADE keeps the UA's source port when it is free (an
 *   "endpoint-independent mapping" in RFC 4787 terms, with the firewall below making the
 *   filtering address-and-port dependent: a port-restricted cone).
 * - symmetric NAT: MASQUERADE --random-fully, a new random port per 5-tuple (RFC 4787
 *   "address and port-dependent mapping").
 * - firewall: WAN→LAN and WAN→router only ESTABLISHED,RELATED; everything else dropped silently
 *   and counted by the rules commented `unsolicited` (a packet to an expired mapping is addressed
 *   to the router itself, so it is the INPUT rule that counts it).
 * - conntrack UDP timeouts: the mapping lifetime (both the single-direction and the "stream"
 *   timeout, set after conntrack is in use in the namespace).
 * - kernel SIP ALG: nf_conntrack_sip/nf_nat_sip attached with a CT --helper rule on the LAN side
 *   (never auto-attached since kernel 6.0).
 */
import { nsRun } from './netns';

export type NatType = 'port-preserving' | 'symmetric';

export interface RouterOptions {
  nat: NatType;
  /** Conntrack UDP timeout in seconds (the NAT mapping lifetime). Default: the kernel's. */
  udpTimeoutSeconds?: number;
  /** Drop unsolicited WAN traffic like a home router (default true). */
  firewall?: boolean;
  /** Attach the kernel SIP ALG to SIP (port 5060) leaving the LAN (default false). */
  alg?: boolean;
  /**
   * A broken userspace ALG instead (broken-alg.ts): the LAN's SIP to port 5060 is diverted to a
   * mangler that rewrites only the top Via to the WAN address and relays to the SBC.
   */
  userspaceAlg?: 'partial-rewrite';
}

export const UNSOLICITED = 'unsolicited';

function ipt(ns: string, ...args: string[]): Promise<unknown> {
  return nsRun(ns, 'iptables', ['-w', '5', ...args]);
}

export async function setUpRouter(ns: string, o: RouterOptions): Promise<void> {
  await nsRun(ns, 'sysctl', ['-qw', 'net.ipv4.ip_forward=1']);
  const masquerade = ['-t', 'nat', '-A', 'POSTROUTING', '-o', 'wan', '-j', 'MASQUERADE'];
  await ipt(ns, ...masquerade, ...(o.nat === 'symmetric' ? ['--random-fully'] : []));
  if (o.firewall ?? true) {
    const established = ['-m', 'conntrack', '--ctstate', 'ESTABLISHED,RELATED', '-j', 'ACCEPT'];
    const dropCounted = ['-m', 'comment', '--comment', UNSOLICITED, '-j', 'DROP'];
    await ipt(ns, '-A', 'FORWARD', '-i', 'lan', '-o', 'wan', '-j', 'ACCEPT');
    await ipt(ns, '-A', 'FORWARD', '-i', 'wan', '-o', 'lan', ...established);
    await ipt(ns, '-A', 'FORWARD', '-i', 'wan', ...dropCounted);
    await ipt(ns, '-A', 'INPUT', '-i', 'wan', ...established);
    await ipt(ns, '-A', 'INPUT', '-i', 'wan', '-p', 'icmp', '-j', 'ACCEPT');
    await ipt(ns, '-A', 'INPUT', '-i', 'wan', ...dropCounted);
  }
  if (o.alg === true) {
    for (const proto of ['udp', 'tcp']) {
      await ipt(
        ns,
        '-t',
        'raw',
        '-A',
        'PREROUTING',
        '-i',
        'lan',
        '-p',
        proto,
        '--dport',
        '5060',
        '-j',
        'CT',
        '--helper',
        'sip',
      );
    }
  }
  if (o.udpTimeoutSeconds !== undefined) {
    // conntrack is in use in this namespace now (the NAT rule), so its sysctls exist
    const t = String(o.udpTimeoutSeconds);
    await nsRun(ns, 'sysctl', [
      '-qw',
      `net.netfilter.nf_conntrack_udp_timeout=${t}`,
      `net.netfilter.nf_conntrack_udp_timeout_stream=${t}`,
    ]);
  }
}

/** Packets the router's firewall dropped as unsolicited (WAN → LAN or WAN → router). */
export async function unsolicitedDrops(ns: string): Promise<number> {
  let total = 0;
  for (const chain of ['INPUT', 'FORWARD']) {
    const { stdout } = await nsRun(ns, 'iptables', ['-w', '5', '-nvxL', chain]);
    for (const line of stdout.split('\n')) {
      if (line.includes(`/* ${UNSOLICITED} */`)) total += Number(line.trim().split(/\s+/)[0] ?? 0);
    }
  }
  return total;
}
