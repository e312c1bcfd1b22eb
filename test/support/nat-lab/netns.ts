/**
 * Commands inside Linux network namespaces (`ip netns exec`), for the NAT lab. One-shot commands
 * resolve with their output or reject with the command line and stderr; long-running processes
 * are started under `setpriv --pdeathsig KILL` (like lib/util/bound-child) so the kernel kills
 * them if the test process dies, and `ip netns exec` execs the program in place (the child's pid
 * is the program's pid, so /proc/<pid>/net shows the namespace's sockets).
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';

export interface RunResult {
  stdout: string;
  stderr: string;
}

export class LabCommandError extends Error {
  constructor(
    readonly argv: readonly string[],
    readonly stderr: string,
    readonly code: number | string | null,
  ) {
    super(`${argv.join(' ')} failed (${String(code)}): ${stderr.trim()}`);
    this.name = 'LabCommandError';
  }
}

/** Run a program in the root namespace (only `ip` itself is run this way). */
export function run(cmd: string, args: readonly string[], timeoutMs = 15_000): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    execFile(cmd, [...args], { timeout: timeoutMs, maxBuffer: 16 << 20 }, (err, stdout, stderr) => {
      if (err) {
        const code = (err as NodeJS.ErrnoException & { code?: number | string }).code ?? null;
        reject(new LabCommandError([cmd, ...args], stderr || err.message, code));
      } else {
        resolve({ stdout, stderr });
      }
    });
  });
}

/** Run a program inside namespace `ns`. */
export function nsRun(
  ns: string,
  cmd: string,
  args: readonly string[],
  timeoutMs?: number,
): Promise<RunResult> {
  return run('ip', ['netns', 'exec', ns, cmd, ...args], timeoutMs);
}

/** `ip -n ns …` (faster than exec for ip's own commands). */
export function ipIn(ns: string, ...args: string[]): Promise<RunResult> {
  return run('ip', ['-n', ns, ...args]);
}

export interface NsProcess {
  readonly pid: number;
  readonly child: ChildProcess;
  readonly exited: Promise<number | null>;
  /** Everything written to stdout / stderr so far. */
  stdout(): string;
  stderr(): string;
  /** Last lines of stderr and stdout, for error messages. */
  recentOutput(): string;
  /** SIGTERM (or `signal`), then SIGKILL after `graceMs`. */
  stop(graceMs?: number, signal?: NodeJS.Signals): Promise<void>;
}

const SETPRIV = '/usr/bin/setpriv';

/** Start a long-running program inside `ns`, killed if we die. */
export function nsSpawn(ns: string, cmd: string, args: readonly string[], stdinPipe = false): NsProcess {
  const inner = ['netns', 'exec', ns, cmd, ...args];
  const [program, argv] = existsSync(SETPRIV)
    ? [SETPRIV, ['--pdeathsig', 'KILL', '--', 'ip', ...inner]]
    : ['ip', inner];
  const child = spawn(program, argv, { stdio: [stdinPipe ? 'pipe' : 'ignore', 'pipe', 'pipe'] });
  if (child.pid === undefined) throw new LabCommandError([cmd, ...args], 'spawn failed', null);
  let out = '';
  let err = '';
  const tail: string[] = [];
  const keep = (chunk: Buffer): void => {
    tail.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    tail.splice(0, Math.max(0, tail.length - 30));
  };
  child.stdout?.on('data', (c: Buffer) => {
    out += c.toString('utf8');
    keep(c);
  });
  child.stderr?.on('data', (c: Buffer) => {
    err += c.toString('utf8');
    keep(c);
  });
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code) => {
      resolve(code);
    });
    child.once('error', (e) => {
      tail.push(e.message);
      resolve(null);
    });
  });
  let stopping: Promise<void> | undefined;
  return {
    pid: child.pid,
    child,
    exited,
    stdout: () => out,
    stderr: () => err,
    recentOutput: () => tail.join('\n'),
    stop(graceMs = 3000, signal: NodeJS.Signals = 'SIGTERM') {
      stopping ??= (async () => {
        if (child.exitCode !== null || child.signalCode !== null) return;
        child.kill(signal);
        const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
        await exited;
        clearTimeout(timer);
      })();
      return stopping;
    },
  };
}

/** Is UDP `port` bound in the network namespace of process `pid` (read from /proc/<pid>/net)? */
export function udpBoundInProcessNs(pid: number, port: number): boolean {
  const hexPort = `:${port.toString(16).toUpperCase().padStart(4, '0')}`;
  for (const table of [`/proc/${pid}/net/udp`, `/proc/${pid}/net/udp6`]) {
    if (!existsSync(table)) continue;
    let text: string;
    try {
      text = readFileSync(table, 'utf8');
    } catch {
      continue; // the process exited between the check and the read
    }
    if (text.split('\n').some((l) => l.trim().split(/\s+/)[1]?.endsWith(hexPort) === true)) return true;
  }
  return false;
}

/** Names of the network namespaces that exist now (`ip netns list`). */
export async function listNamespaces(): Promise<string[]> {
  const { stdout } = await run('ip', ['netns', 'list']);
  return stdout
    .split('\n')
    .map((l) => l.trim().split(/\s+/)[0] ?? '')
    .filter((n) => n !== '');
}

export async function deleteNamespace(ns: string): Promise<void> {
  try {
    await run('ip', ['netns', 'delete', ns]);
  } catch (e) {
    // already gone (a concurrent teardown, or a half-built lab): nothing left to delete
    if (!(await listNamespaces()).includes(ns)) return;
    throw e;
  }
}
