/**
 * Linux /proc readers for tests and benchmarks: is a port bound (without connecting to it), and
 * how much CPU a process has used.
 */
import { existsSync, readFileSync } from 'node:fs';

function read(file: string): string {
  return existsSync(file) ? readFileSync(file, 'utf8') : '';
}

/** Is something bound to `port` (UDP), or listening on it (TCP), on any local address? */
export function portBound(port: number, transport: 'udp' | 'tcp'): boolean {
  const hexPort = `:${port.toString(16).toUpperCase().padStart(4, '0')}`;
  const tables =
    transport === 'tcp' ? ['/proc/net/tcp', '/proc/net/tcp6'] : ['/proc/net/udp', '/proc/net/udp6'];
  return tables.some((t) =>
    read(t)
      .split('\n')
      .some((line) => {
        const cols = line.trim().split(/\s+/);
        return cols[1]?.endsWith(hexPort) === true && (transport === 'udp' || cols[3] === '0A');
      }),
  );
}

/** CPU seconds (user + system) a process has used so far; undefined once it is gone. */
export function processCpuSeconds(pid: number): number | undefined {
  const stat = read(`/proc/${pid}/stat`);
  // the command name is in parentheses and may contain spaces: count fields after the last ')'
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  if (!Number.isFinite(utime) || !Number.isFinite(stime)) return undefined;
  return (utime + stime) / 100; // USER_HZ is 100 on Linux
}
