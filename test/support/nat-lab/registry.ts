/**
 * Namespace names and their clean-up. Every namespace the lab creates is called
 * `palnat-<pid>-<lab>-<role>`: the owner's pid lets a later run delete what a crashed run left
 * behind (owner gone), and the prefix keeps us from ever touching anyone else's namespaces.
 * Live namespaces are remembered here and deleted synchronously on exit, SIGINT and SIGTERM.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { deleteNamespace, listNamespaces, run } from './netns';

export const NS_PREFIX = 'palnat-';

const live = new Set<string>();
let labCounter = 0;
let hooked = false;

/** A fresh name stem for one lab of this process: `palnat-<pid>-<n>`. */
export function newLabStem(): string {
  labCounter += 1;
  return `${NS_PREFIX}${process.pid}-${labCounter}`;
}

export function remember(ns: string): void {
  hookExit();
  live.add(ns);
}

export function forget(ns: string): void {
  live.delete(ns);
}

/** Kill whatever still runs in `ns` (a namespace lives on while a process is inside it). */
async function killInside(ns: string): Promise<void> {
  let pids: number[] = [];
  try {
    const { stdout } = await run('ip', ['netns', 'pids', ns]);
    pids = stdout.split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return; // the namespace is already gone
  }
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ESRCH') throw e;
    }
  }
}

/** Delete namespaces (killing processes left inside them first). */
export async function destroyNamespaces(names: readonly string[]): Promise<void> {
  for (const ns of names) {
    await killInside(ns);
    await deleteNamespace(ns);
    forget(ns);
  }
}

function ownerAlive(pid: number): boolean {
  const cmdline = `/proc/${pid}/cmdline`;
  if (!existsSync(cmdline)) return false;
  try {
    return readFileSync(cmdline, 'utf8').includes('node');
  } catch {
    return false; // it exited while we looked
  }
}

/** Delete namespaces of earlier runs whose owner process is gone. Returns their names. */
export async function deleteStaleNamespaces(): Promise<string[]> {
  const stale = (await listNamespaces()).filter((ns) => {
    if (!ns.startsWith(NS_PREFIX)) return false;
    const pid = Number(ns.slice(NS_PREFIX.length).split('-')[0]);
    return Number.isInteger(pid) && pid !== process.pid && !ownerAlive(pid);
  });
  await destroyNamespaces(stale);
  return stale;
}

/** Last-chance synchronous clean-up: on exit nothing asynchronous runs any more. */
function destroyAllSync(): void {
  for (const ns of live) {
    try {
      const pids = execFileSync('ip', ['netns', 'pids', ns], { encoding: 'utf8' });
      for (const pid of pids.split(/\s+/).filter(Boolean)) process.kill(Number(pid), 'SIGKILL');
      execFileSync('ip', ['netns', 'delete', ns], { stdio: 'ignore' });
    } catch (e) {
      process.stderr.write(`nat-lab: could not delete namespace ${ns}: ${String(e)}\n`);
    }
  }
  live.clear();
}

function hookExit(): void {
  if (hooked) return;
  hooked = true;
  process.on('exit', destroyAllSync);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      destroyAllSync();
      process.kill(process.pid, signal); // our handler is gone now: die of the signal as asked
    });
  }
}
