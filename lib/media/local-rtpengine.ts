/**
 * A local userspace rtpengine (`--table=-1`, no kernel module) spawned for the quick start and for
 * tests. It is bound to our lifetime (see util/bound-child) and ready once it answers an ng ping.
 */
import { PalisadeError, toError } from '../util/errors';
import { spawnBound, type BoundChild } from '../util/bound-child';
import type { Log } from '../util/logger';
import { NgClient } from './ng-client';
import { formatNgAddress, type NgAddress } from './ng-address';

export interface LocalRtpengineOptions {
  binary: string;
  ng: NgAddress;
  /**
   * rtpengine --interface value(s): an address, "local!advertised" for 1:1 NAT, or
   * "NAME/local[!advertised]" for named interfaces selected per call with ng `direction`.
   */
  interface: string | readonly string[];
  portMin: number;
  portMax: number;
  logLevel?: number;
  /** rtpengine --timeout: seconds without RTP after which rtpengine ends a call by itself. */
  mediaTimeoutSeconds?: number;
  startTimeoutMs?: number;
}

export interface LocalRtpengine {
  readonly ng: NgAddress;
  readonly pid: number;
  stop(): Promise<void>;
}

export function rtpengineArgs(o: LocalRtpengineOptions): string[] {
  const interfaces = typeof o.interface === 'string' ? [o.interface] : o.interface;
  return [
    '--config-file=none',
    '--foreground',
    '--table=-1',
    ...interfaces.map((i) => `--interface=${i}`),
    `--listen-ng=${formatNgAddress(o.ng)}`,
    `--port-min=${o.portMin}`,
    `--port-max=${o.portMax}`,
    '--log-stderr',
    `--log-level=${o.logLevel ?? 5}`,
    ...(o.mediaTimeoutSeconds === undefined ? [] : [`--timeout=${o.mediaTimeoutSeconds}`]),
  ];
}

async function waitUntilAnswering(child: BoundChild, o: LocalRtpengineOptions, log: Log): Promise<void> {
  const deadline = Date.now() + (o.startTimeoutMs ?? 10_000);
  const ng = new NgClient(300, log);
  const state = { exited: false };
  void child.exited.then(() => (state.exited = true));
  try {
    for (;;) {
      if (state.exited) throw new Error('exited during start-up');
      try {
        await ng.ping(o.ng);
        return;
      } catch (e) {
        if (Date.now() > deadline) throw e;
      }
    }
  } finally {
    ng.close();
  }
}

export async function startLocalRtpengine(o: LocalRtpengineOptions, log: Log): Promise<LocalRtpengine> {
  const child = spawnBound(o.binary, rtpengineArgs(o));
  try {
    await waitUntilAnswering(child, o, log);
  } catch (e) {
    await child.stop();
    throw new PalisadeError(
      'RTPENGINE_SPAWN',
      `local rtpengine on ${formatNgAddress(o.ng)} did not start: ${toError(e).message}; output: ${child.recentOutput()}`,
      { cause: e },
    );
  }
  log.info({ pid: child.pid, ng: formatNgAddress(o.ng) }, 'local rtpengine started');
  void child.exited.then((code) => {
    log.info({ pid: child.pid, code }, 'local rtpengine exited');
  });
  return { ng: o.ng, pid: child.pid, stop: () => child.stop() };
}
