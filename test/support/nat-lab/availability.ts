/**
 * Can the NAT lab run here? It needs Linux, root, a working `ip netns` and the tools it drives.
 * `requireNatLab(this)` in a mocha `before` skips the whole suite with a printed reason when
 * not, and deletes namespaces a crashed earlier run left behind when it can run.
 */
import { existsSync } from 'node:fs';
import { run } from './netns';
import { deleteStaleNamespaces, NS_PREFIX } from './registry';

const TOOLS = ['/usr/sbin/ip', '/usr/sbin/iptables', '/usr/sbin/sysctl', '/usr/bin/sipp'];

let verdict: Promise<string | undefined> | undefined;

async function probe(): Promise<string | undefined> {
  if (process.platform !== 'linux') return 'not Linux';
  if (process.getuid?.() !== 0) return 'not root (network namespaces and iptables need root)';
  const missing = TOOLS.filter((t) => !existsSync(t));
  if (missing.length > 0) return `missing ${missing.join(', ')}`;
  const name = `${NS_PREFIX}${process.pid}-probe`;
  try {
    await run('ip', ['netns', 'add', name]);
    await run('ip', ['netns', 'exec', name, 'iptables', '-w', '5', '-nL']);
  } catch (e) {
    return `ip netns / iptables unusable: ${(e as Error).message}`;
  } finally {
    await run('ip', ['netns', 'delete', name]).catch(() => undefined);
  }
  return undefined;
}

/** Why the lab cannot run here, or undefined when it can. Probed once per process. */
export function natLabUnavailable(): Promise<string | undefined> {
  verdict ??= probe();
  return verdict;
}

/** For a mocha `before(async function () { await requireNatLab(this); })`. */
export async function requireNatLab(ctx: Mocha.Context): Promise<void> {
  const reason = await natLabUnavailable();
  if (reason !== undefined) {
    console.log(`      NAT lab skipped: ${reason}`);
    ctx.skip();
  }
  const stale = await deleteStaleNamespaces();
  if (stale.length > 0)
    console.log(`      NAT lab: deleted ${stale.length} stale namespaces of a crashed run`);
}
