/**
 * sipp on a takeover-lab host: the NAT lab's namespace sipp (nat-lab/ns-sipp.ts — same command
 * line and reports as test/support/sipp.ts) on the host's address, port 5060.
 */
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startSippIn, startSippUasIn, type NsSipp, type NsSippResult } from '../nat-lab/ns-sipp';
import type { SippOptions } from '../sipp';
import { HOSTS, type TakeoverLab } from './topology';

export const SIPP_PORT = 5060;

export type LabSippResult = NsSippResult;
export type LabSipp = NsSipp;

type Host = 'carrier' | 'callee';

function onHost(host: Host, opts: Omit<SippOptions, 'localIp' | 'localPort'>) {
  return {
    ...opts,
    localIp: HOSTS[host],
    localPort: SIPP_PORT,
    workDir: opts.workDir ?? mkdtempSync(path.join(os.tmpdir(), `palisade-takeover-${host}-`)),
  };
}

export function startLabSipp(
  lab: TakeoverLab,
  host: Host,
  opts: Omit<SippOptions, 'localIp' | 'localPort'>,
): LabSipp {
  return startSippIn(lab, host, onHost(host, opts));
}

/** A server scenario on `host`, resolved once its SIP socket is bound. */
export function startLabSippUas(
  lab: TakeoverLab,
  host: Host,
  opts: Omit<SippOptions, 'localIp' | 'localPort' | 'remote'>,
): Promise<LabSipp> {
  return startSippUasIn(lab, host, onHost(host, opts));
}
