/**
 * sipp inside a lab namespace: the same options and reports as test/support/sipp.ts (sippArgs,
 * the stats/screen parsers), but started with `ip netns exec` and bound to a lab address.
 * Namespaces are separate network stacks, so fixed ports (5060, RTP 40000) never collide.
 */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { eventually } from '../http';
import { scenarioPath, SIPP_BIN, type SippOptions } from '../sipp';
import { sippArgs } from '../sipp-args';
import { parseStatsCsv, type SippStats } from '../sipp-stats';
import { repoRoot } from '../repo';
import type { Lab } from './lab';
import { udpBoundInProcessNs, type NsProcess } from './netns';

export const NAT_FIXTURES = path.join(repoRoot, 'test', 'fixtures', 'nat');

export interface NsSippResult {
  exitCode: number | null;
  stats: SippStats | undefined;
  /** Every message sipp sent and received (-trace_msg). */
  messages: string;
  errors: string;
  output: string;
}

export interface NsSipp {
  readonly process: NsProcess;
  readonly done: Promise<NsSippResult>;
  /** The message log so far. */
  messages(): string;
  /** Soft exit (SIGUSR1), then SIGKILL after graceMs. */
  stop(graceMs?: number): Promise<NsSippResult>;
}

export type NsSippOptions = SippOptions & { localIp: string; localPort: number };

/** What starting sipp needs of a lab: spawning in one of its namespaces (NAT lab, takeover lab). */
export interface SippHost<N extends string = string> {
  spawn(ns: N, cmd: string, args: readonly string[]): NsProcess;
}

function read(file: string): string {
  return existsSync(file) ? readFileSync(file, 'utf8') : '';
}

/** A scenario of test/fixtures/nat by name, else of test/fixtures/sipp, or a path. */
export function natScenario(name: string): string {
  const own = path.join(NAT_FIXTURES, name);
  return existsSync(own) ? own : scenarioPath(name);
}

export function startSippIn<N extends string>(lab: SippHost<N>, ns: N, opts: NsSippOptions): NsSipp {
  const dir = opts.workDir ?? mkdtempSync(path.join(os.tmpdir(), 'palisade-natlab-sipp-'));
  const files = {
    stats: path.join(dir, 'stats.csv'),
    messages: path.join(dir, 'messages.log'),
    errors: path.join(dir, 'errors.log'),
    screen: path.join(dir, 'screen.log'),
  };
  const argv = sippArgs(
    { timeoutMs: 60_000, ...opts, controlPort: opts.controlPort ?? 8888 },
    { scenario: natScenario(opts.scenario), localPort: opts.localPort, injection: undefined, files },
  );
  const proc = lab.spawn(ns, SIPP_BIN, argv);
  const done = proc.exited.then((exitCode): NsSippResult => ({
    exitCode,
    stats: parseStatsCsv(read(files.stats)),
    messages: read(files.messages),
    errors: read(files.errors),
    output: proc.recentOutput(),
  }));
  return {
    process: proc,
    done,
    messages: () => read(files.messages),
    async stop(graceMs = 3000) {
      if (proc.child.exitCode === null && proc.child.signalCode === null) {
        await proc.stop(graceMs, 'SIGUSR1');
      }
      return done;
    },
  };
}

/** Start a server scenario and wait until its SIP socket is bound. */
export async function startSippUasIn<N extends string>(
  lab: SippHost<N>,
  ns: N,
  opts: NsSippOptions,
): Promise<NsSipp> {
  const sipp = startSippIn(lab, ns, { timeoutMs: 10 * 60_000, ...opts, remote: undefined });
  let exited = false;
  void sipp.done.then(() => (exited = true));
  await eventually(
    () => {
      if (exited) throw new Error(`sipp exited before listening: ${sipp.process.recentOutput()}`);
      if (!udpBoundInProcessNs(sipp.process.pid, opts.localPort)) throw new Error('sipp not bound yet');
    },
    5000,
    20,
  );
  return sipp;
}

/** Run a client scenario to completion. */
export function runSippIn(lab: Lab, ns: string, opts: NsSippOptions): Promise<NsSippResult> {
  return startSippIn(lab, ns, opts).done;
}
