/**
 * sipp on a takeover-lab host: the same command line (sippArgs) and report parser as
 * test/support/sipp.ts, started inside the host's namespace on its address, port 5060.
 */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { eventually } from '../http';
import { udpBoundInProcessNs, type NsProcess } from '../nat-lab/netns';
import { scenarioPath, SIPP_BIN, type SippOptions } from '../sipp';
import { sippArgs } from '../sipp-args';
import { parseStatsCsv, type SippStats } from '../sipp-stats';
import { HOSTS, type TakeoverLab } from './topology';

export const SIPP_PORT = 5060;

export interface LabSippResult {
  exitCode: number | null;
  stats: SippStats | undefined;
  /** Every message sipp sent and received (-trace_msg). */
  messages: string;
  errors: string;
  output: string;
}

export interface LabSipp {
  readonly process: NsProcess;
  readonly done: Promise<LabSippResult>;
  messages(): string;
  /** Soft exit (SIGUSR1), then SIGKILL after graceMs. */
  stop(graceMs?: number): Promise<LabSippResult>;
}

const read = (file: string): string => (existsSync(file) ? readFileSync(file, 'utf8') : '');

export function startLabSipp(
  lab: TakeoverLab,
  host: 'carrier' | 'callee',
  opts: Omit<SippOptions, 'localIp' | 'localPort'>,
): LabSipp {
  const dir = opts.workDir ?? mkdtempSync(path.join(os.tmpdir(), `palisade-takeover-${host}-`));
  const files = {
    stats: path.join(dir, 'stats.csv'),
    messages: path.join(dir, 'messages.log'),
    errors: path.join(dir, 'errors.log'),
    screen: path.join(dir, 'screen.log'),
  };
  const argv = sippArgs(
    { ...opts, localIp: HOSTS[host], controlPort: opts.controlPort ?? 8888 },
    { scenario: scenarioPath(opts.scenario), localPort: SIPP_PORT, injection: undefined, files },
  );
  const proc = lab.spawn(host, SIPP_BIN, argv);
  const done = proc.exited.then((exitCode): LabSippResult => ({
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

/** A server scenario on `host`, resolved once its SIP socket is bound. */
export async function startLabSippUas(
  lab: TakeoverLab,
  host: 'carrier' | 'callee',
  opts: Omit<SippOptions, 'localIp' | 'localPort' | 'remote'>,
): Promise<LabSipp> {
  const sipp = startLabSipp(lab, host, opts);
  await eventually(
    () => {
      if (sipp.process.child.exitCode !== null) {
        throw new Error(`sipp exited before listening: ${sipp.process.recentOutput()}`);
      }
      if (!udpBoundInProcessNs(sipp.process.pid, SIPP_PORT)) throw new Error('sipp not bound yet');
    },
    5000,
    20,
  );
  return sipp;
}
