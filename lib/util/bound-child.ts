/**
 * Child processes that never outlive Palisade: started under `setpriv --pdeathsig KILL` so the
 * kernel kills them even if we die by SIGKILL, and stopped with SIGTERM then SIGKILL on a deadline.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { PalisadeError } from './errors';

export interface BoundChild {
  readonly pid: number;
  readonly exited: Promise<number | null>;
  /** Last lines the child wrote to stderr/stdout, for error messages. */
  recentOutput(): string;
  stop(graceMs?: number): Promise<void>;
}

const SETPRIV = '/usr/bin/setpriv';

export function spawnBound(command: string, args: readonly string[]): BoundChild {
  const useSetpriv = process.platform === 'linux' && existsSync(SETPRIV);
  const [cmd, argv] = useSetpriv
    ? [SETPRIV, ['--pdeathsig', 'KILL', '--', command, ...args]]
    : [command, [...args]];
  const child: ChildProcess = spawn(cmd, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
  const tail: string[] = [];
  const keep = (chunk: Buffer): void => {
    tail.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    tail.splice(0, Math.max(0, tail.length - 20));
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code) => {
      resolve(code);
    });
    child.once('error', (e) => {
      tail.push(e.message);
      resolve(null);
    });
  });
  if (child.pid === undefined) {
    throw new PalisadeError('SPAWN_FAILED', `cannot start ${command}`);
  }
  const pid = child.pid;
  let stopping: Promise<void> | undefined;
  return {
    pid,
    exited,
    recentOutput: () => tail.join('\n'),
    stop(graceMs = 3000) {
      stopping ??= (async () => {
        if (child.exitCode !== null || child.signalCode !== null) return;
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
        await exited;
        clearTimeout(timer);
      })();
      return stopping;
    },
  };
}
