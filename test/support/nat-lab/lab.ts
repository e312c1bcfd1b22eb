/**
 * The NAT lab: network namespaces wired as a small Internet with RFC 5737 addresses.
 *
 *   inet     bridge br0 203.0.113.1/24 (everyone's gateway, forwarding OFF: packets to private
 *            addresses vanish as on the Internet)
 *   sbc      203.0.113.10        carrier  203.0.113.20
 *   natN     WAN 203.0.113.10N, LAN 198.51.100.1/25 (home 1) or .129/25 (home 2)
 *   uaN      198.51.100.2 (home 1) or 198.51.100.130 (home 2), default route via its natN
 *
 * Nothing touches the root namespace. `destroy()` deletes every namespace (also after a failed
 * build); the registry deletes them on exit/SIGINT/SIGTERM and a later run deletes a crashed
 * run's leftovers.
 */
import { startBrokenAlg } from './broken-alg';
import { addCounter, type CounterMatch, type PacketCounter } from './counters';
import { setUpRouter, unsolicitedDrops, type RouterOptions } from './home-router';
import { ipIn, nsRun, nsSpawn, run, type NsProcess, type RunResult } from './netns';
import { destroyNamespaces, newLabStem, remember } from './registry';

export const GATEWAY = '203.0.113.1';
export const SBC_ADDRESS = '203.0.113.10';
export const CARRIER_ADDRESS = '203.0.113.20';

export interface Home {
  readonly index: 1 | 2;
  readonly natNs: string;
  readonly uaNs: string;
  /** The NAT's public address (203.0.113.10N). */
  readonly wan: string;
  readonly lanGateway: string;
  /** The UA's private address. */
  readonly ua: string;
  readonly options: RouterOptions;
  /** Packets the home router dropped as unsolicited so far. */
  unsolicitedDrops(): Promise<number>;
}

export interface Lab {
  readonly ns: { readonly inet: string; readonly sbc: string; readonly carrier: string };
  readonly homes: readonly Home[];
  home(index: 1 | 2): Home;
  run(ns: string, cmd: string, args: readonly string[], timeoutMs?: number): Promise<RunResult>;
  spawn(ns: string, cmd: string, args: readonly string[], stdinPipe?: boolean): NsProcess;
  counter(ns: string, label: string, match: CounterMatch): Promise<PacketCounter>;
  /** Stop the processes started with spawn(), then delete every namespace. Idempotent. */
  destroy(): Promise<void>;
}

const HOME_PLAN = [
  { index: 1, wan: '203.0.113.101', lanGateway: '198.51.100.1', ua: '198.51.100.2' },
  { index: 2, wan: '203.0.113.102', lanGateway: '198.51.100.129', ua: '198.51.100.130' },
] as const;

async function quietHost(ns: string): Promise<void> {
  await ipIn(ns, 'link', 'set', 'lo', 'up');
  // no IPv6 chatter (router solicitations, DAD) in the packet counters
  await nsRun(ns, 'sysctl', [
    '-qw',
    'net.ipv6.conf.all.disable_ipv6=1',
    'net.ipv6.conf.default.disable_ipv6=1',
  ]);
}

/** A veth from the inet bridge to `ns`, named `ifName` there, with a public address. */
async function attachPublic(
  inet: string,
  ns: string,
  role: string,
  ifName: string,
  address: string,
): Promise<void> {
  const port = `p-${role}`;
  await ipIn(inet, 'link', 'add', port, 'type', 'veth', 'peer', 'name', ifName, 'netns', ns);
  await ipIn(inet, 'link', 'set', port, 'master', 'br0', 'up');
  await ipIn(ns, 'addr', 'add', `${address}/24`, 'dev', ifName);
  await ipIn(ns, 'link', 'set', ifName, 'up');
  await ipIn(ns, 'route', 'add', 'default', 'via', GATEWAY);
}

export async function buildLab(homes: readonly RouterOptions[] = []): Promise<Lab> {
  if (homes.length > HOME_PLAN.length) throw new Error(`the lab has room for ${HOME_PLAN.length} homes`);
  const stem = newLabStem();
  const ns = { inet: `${stem}-inet`, sbc: `${stem}-sbc`, carrier: `${stem}-carrier` };
  const all: string[] = [];
  const processes: NsProcess[] = [];
  let destroyed: Promise<void> | undefined;
  const destroy = (): Promise<void> => {
    destroyed ??= (async () => {
      await Promise.all(processes.map((p) => p.stop(1000)));
      await destroyNamespaces([...all].reverse());
    })();
    return destroyed;
  };
  const add = async (name: string): Promise<void> => {
    remember(name);
    await run('ip', ['netns', 'add', name]);
    all.push(name);
    await quietHost(name);
  };
  const spawnTracked = (
    where: string,
    cmd: string,
    args: readonly string[],
    stdinPipe?: boolean,
  ): NsProcess => {
    const p = nsSpawn(where, cmd, args, stdinPipe);
    processes.push(p);
    return p;
  };
  const built: Home[] = [];
  try {
    for (const name of Object.values(ns)) await add(name);
    await nsRun(ns.inet, 'sysctl', ['-qw', 'net.ipv4.ip_forward=0']);
    await ipIn(ns.inet, 'link', 'add', 'br0', 'type', 'bridge');
    await ipIn(ns.inet, 'addr', 'add', `${GATEWAY}/24`, 'dev', 'br0');
    await ipIn(ns.inet, 'link', 'set', 'br0', 'up');
    await attachPublic(ns.inet, ns.sbc, 'sbc', 'eth0', SBC_ADDRESS);
    await attachPublic(ns.inet, ns.carrier, 'carrier', 'eth0', CARRIER_ADDRESS);
    for (const [i, options] of homes.entries()) {
      const plan = HOME_PLAN[i]!;
      const natNs = `${stem}-nat${plan.index}`;
      const uaNs = `${stem}-ua${plan.index}`;
      await add(natNs);
      await add(uaNs);
      await attachPublic(ns.inet, natNs, `nat${plan.index}`, 'wan', plan.wan);
      await ipIn(natNs, 'link', 'add', 'lan', 'type', 'veth', 'peer', 'name', 'eth0', 'netns', uaNs);
      await ipIn(natNs, 'addr', 'add', `${plan.lanGateway}/25`, 'dev', 'lan');
      await ipIn(natNs, 'link', 'set', 'lan', 'up');
      await ipIn(uaNs, 'addr', 'add', `${plan.ua}/25`, 'dev', 'eth0');
      await ipIn(uaNs, 'link', 'set', 'eth0', 'up');
      await ipIn(uaNs, 'route', 'add', 'default', 'via', plan.lanGateway);
      await setUpRouter(natNs, options);
      if (options.userspaceAlg !== undefined) {
        const addr = { lan: plan.lanGateway, wan: plan.wan, upstream: SBC_ADDRESS, upstreamPort: 5060 };
        await startBrokenAlg(spawnTracked, nsRun, natNs, addr);
      }
      built.push({ ...plan, natNs, uaNs, options, unsolicitedDrops: () => unsolicitedDrops(natNs) });
    }
  } catch (e) {
    await destroy();
    throw e;
  }
  return {
    ns,
    homes: built,
    home(index) {
      const h = built.find((b) => b.index === index);
      if (h === undefined) throw new Error(`the lab has no home ${index}`);
      return h;
    },
    run: nsRun,
    spawn: spawnTracked,
    counter: addCounter,
    destroy,
  };
}
