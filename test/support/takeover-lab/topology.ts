/**
 * The takeover lab (issue 8 point 4): one Ethernet segment (a bridge in its own namespace) with
 * RFC 5737 hosts, each a network namespace:
 *
 *   a        192.0.2.11 + the floating VIP 192.0.2.10   Palisade instance A (owns the VIP)
 *   b        192.0.2.12, ip_nonlocal_bind=1              Palisade instance B (also bound to the VIP)
 *   carrier  192.0.2.20                                  sipp caller (inbound trunk)
 *   callee   192.0.2.30                                  sipp UAS (outbound trunk)
 *   infra    192.0.2.40                                  redis-server + the shared rtpengine
 *
 * `failOver()` does what keepalived does when A's host dies: the VIP leaves A's interface and is
 * added to B's, and the peers' neighbour caches are flushed (standing in for gratuitous ARP), so
 * in-dialog requests to VIP:5060 now reach B. Namespace names come from the NAT lab's registry
 * (`palnat-<pid>-<n>-…`), so its exit hooks and stale-namespace clean-up cover this lab too.
 */
import { ipIn, nsRun, nsSpawn, run, type NsProcess, type RunResult } from '../nat-lab/netns';
import { destroyNamespaces, newLabStem, remember } from '../nat-lab/registry';

export const VIP = '192.0.2.10';
export const HOSTS = {
  a: '192.0.2.11',
  b: '192.0.2.12',
  carrier: '192.0.2.20',
  callee: '192.0.2.30',
  infra: '192.0.2.40',
} as const;
export type Host = keyof typeof HOSTS;
const PREFIX = 24;

export interface TakeoverLab {
  readonly ns: Readonly<Record<Host | 'sw', string>>;
  run(host: Host, cmd: string, args: readonly string[], timeoutMs?: number): Promise<RunResult>;
  /** A long-running process on `host`, stopped by destroy(). */
  spawn(host: Host, cmd: string, args: readonly string[]): NsProcess;
  /** SIGKILL every process on `host` (the host dies; its namespace and links stay). */
  killHost(host: Host): Promise<number[]>;
  /** Move the VIP from A to B and flush the peers' neighbour caches (gratuitous ARP). */
  failOver(): Promise<void>;
  /** Which host has the VIP on its interface now. */
  vipHolder(): Promise<Host | undefined>;
  /** Stop the spawned processes, then delete every namespace. Idempotent. */
  destroy(): Promise<void>;
}

async function pidsIn(ns: string): Promise<number[]> {
  const { stdout } = await run('ip', ['netns', 'pids', ns]);
  return stdout.split(/\s+/).filter(Boolean).map(Number);
}

export async function buildTakeoverLab(): Promise<TakeoverLab> {
  const stem = newLabStem();
  const hostNames = Object.keys(HOSTS) as Host[];
  const ns = Object.fromEntries(['sw', ...hostNames].map((h) => [h, `${stem}-tk-${h}`])) as Record<
    Host | 'sw',
    string
  >;
  const created: string[] = [];
  const processes: NsProcess[] = [];
  let destroyed: Promise<void> | undefined;
  const destroy = (): Promise<void> => {
    destroyed ??= (async () => {
      await Promise.all(processes.map((p) => p.stop(1000)));
      await destroyNamespaces([...created].reverse());
    })();
    return destroyed;
  };
  try {
    for (const name of Object.values(ns)) {
      remember(name);
      await run('ip', ['netns', 'add', name]);
      created.push(name);
      await ipIn(name, 'link', 'set', 'lo', 'up');
      await nsRun(name, 'sysctl', [
        '-qw',
        'net.ipv6.conf.all.disable_ipv6=1',
        'net.ipv6.conf.default.disable_ipv6=1',
      ]);
    }
    await ipIn(ns.sw, 'link', 'add', 'br0', 'type', 'bridge');
    await ipIn(ns.sw, 'link', 'set', 'br0', 'up');
    for (const h of hostNames) {
      await ipIn(ns.sw, 'link', 'add', `p-${h}`, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', ns[h]);
      await ipIn(ns.sw, 'link', 'set', `p-${h}`, 'master', 'br0', 'up');
      await ipIn(ns[h], 'addr', 'add', `${HOSTS[h]}/${PREFIX}`, 'dev', 'eth0');
      await ipIn(ns[h], 'link', 'set', 'eth0', 'up');
    }
    await ipIn(ns.a, 'addr', 'add', `${VIP}/${PREFIX}`, 'dev', 'eth0');
    // B binds the VIP before it holds it, as a keepalived backup does
    await nsRun(ns.b, 'sysctl', ['-qw', 'net.ipv4.ip_nonlocal_bind=1']);
  } catch (e) {
    await destroy();
    throw e;
  }
  const holds = async (h: Host): Promise<boolean> => {
    const { stdout } = await ipIn(ns[h], '-4', '-o', 'addr', 'show', 'dev', 'eth0');
    return stdout.includes(` ${VIP}/`);
  };
  return {
    ns,
    run: (host, cmd, args, timeoutMs) => nsRun(ns[host], cmd, args, timeoutMs),
    spawn(host, cmd, args) {
      const p = nsSpawn(ns[host], cmd, args);
      processes.push(p);
      return p;
    },
    async killHost(host) {
      const pids = await pidsIn(ns[host]);
      for (const pid of pids) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch (e) {
          if ((e as NodeJS.ErrnoException).code !== 'ESRCH') throw e;
        }
      }
      return pids;
    },
    async failOver() {
      if (await holds('a')) await ipIn(ns.a, 'addr', 'del', `${VIP}/${PREFIX}`, 'dev', 'eth0');
      await ipIn(ns.b, 'addr', 'add', `${VIP}/${PREFIX}`, 'dev', 'eth0');
      for (const h of ['carrier', 'callee', 'infra'] as const) {
        await ipIn(ns[h], 'neigh', 'flush', 'dev', 'eth0');
      }
    },
    async vipHolder() {
      for (const h of ['a', 'b'] as const) if (await holds(h)) return h;
      return undefined;
    },
    destroy,
  };
}
