/**
 * Userspace rtpengines for the benches: the flags Palisade's own local rtpengine gets, readiness
 * by ng ping, and a fleet of extra engines for more concurrent calls than one process can hold.
 *
 * One userspace rtpengine keeps ~6 sockets per anchored call, and a process may open 20 000 files
 * here (`ulimit -Hn`, not raisable in this container): one engine holds ~3 300 calls. A fleet of N
 * engines, each on its own loopback address (127.0.0.(20+i), so each has the whole port range)
 * and ng port, listed in Palisade's `media.rtpengines`, holds N times as many.
 */
import dgram from 'node:dgram';
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { spawnBound, type BoundChild } from '../lib/util/bound-child';
import { freeUdpPortBetween } from '../test/support/ports';

export const RTPENGINE_BIN = existsSync('/usr/bin/rtpengine') ? '/usr/bin/rtpengine' : 'rtpengine';

/**
 * rtpengine keeps a deleted call (and its 4 sockets) for --delete-delay seconds (default 30): at
 * a few hundred short calls per second that alone exhausts the 20 000 open files a process may
 * have here (~5 000 calls), and the run would measure that instead of the SUT. Both rtpengines
 * (Kamailio's and the one Palisade spawns, through a wrapper given as media.local.binary) get
 * --delete-delay=0 (BENCH_RTPENGINE_DELETE_DELAY=<seconds> in the environment to compare).
 */
export const RTPENGINE_EXTRA = [`--delete-delay=${process.env['BENCH_RTPENGINE_DELETE_DELAY'] ?? '0'}`];

/** One raw ng datagram to 127.0.0.1:`port`; its reply as latin1 text, undefined after `timeoutMs`. */
function ngRequest(port: number, datagram: string, timeoutMs: number): Promise<string | undefined> {
  return new Promise((resolve) => {
    const s = dgram.createSocket('udp4');
    const t = setTimeout(() => {
      s.close();
      resolve(undefined);
    }, timeoutMs);
    s.on('message', (m) => {
      clearTimeout(t);
      s.close();
      resolve(m.toString('latin1'));
    });
    s.send(datagram, port, '127.0.0.1');
  });
}

/** Ping an rtpengine ng port until it answers (bencoded `ping` → `pong`). */
export async function ngReady(port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if ((await ngRequest(port, 'bench1 d7:command4:pinge', 200))?.includes('pong') === true) return;
    if (Date.now() > deadline) throw new Error(`rtpengine on ng ${port} does not answer`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * A free port for an rtpengine's ng control socket, below every media range the benches give
 * rtpengines (20000–59999) and the kernel's ephemeral ports: rtpengine binds media and ng sockets
 * with SO_REUSEADDR, so an ng port inside a media range can be taken over as a media port.
 */
export function freeNgPort(): Promise<number> {
  return freeUdpPortBetween(10000, 19999);
}

/**
 * The calls an rtpengine holds (ng `statistics`: currentstatistics.sessionstotal), undefined when
 * it does not answer within a second.
 */
export async function ngSessions(port: number): Promise<number | undefined> {
  const reply = await ngRequest(port, 'sessions1 d7:command10:statisticse', 1000);
  const total = reply === undefined ? undefined : /13:sessionstotali(\d+)e/.exec(reply)?.[1];
  return total === undefined ? undefined : Number(total);
}

export function rtpengineArgv(
  ngPort: number,
  portMin: number,
  portMax: number,
  media = '127.0.0.1',
): string[] {
  // the same flags lib/media/local-rtpengine.ts gives the rtpengine Palisade spawns
  return [
    ...['--config-file=none', '--foreground', '--table=-1', `--interface=${media}`],
    ...[`--listen-ng=127.0.0.1:${ngPort}`, `--port-min=${portMin}`, `--port-max=${portMax}`],
    ...['--log-stderr', '--log-level=5', ...RTPENGINE_EXTRA],
  ];
}

export function rtpengineWrapper(dir: string): string {
  const file = path.join(dir, 'rtpengine-bench.sh');
  writeFileSync(file, `#!/bin/sh\nexec ${RTPENGINE_BIN} ${RTPENGINE_EXTRA.join(' ')} "$@"\n`, {
    mode: 0o755,
  });
  return file;
}

export interface RtpengineFleet {
  /** ng control addresses ("127.0.0.1:PORT"), one per engine. */
  readonly ng: readonly string[];
  readonly pids: readonly number[];
  stop(): Promise<void>;
}

/**
 * Starts `n` rtpengines, engine i with media on 127.0.0.(20+i), ports 20000-39999, and
 * `--timeout=noMediaSeconds` when given (rtpengine ends calls without RTP after 60 s by default).
 */
export async function startRtpengineFleet(n: number, noMediaSeconds?: number): Promise<RtpengineFleet> {
  const children: BoundChild[] = [];
  const ng: string[] = [];
  const stop = async (): Promise<void> => {
    await Promise.all(children.map((c) => c.stop(3000)));
  };
  try {
    for (let i = 0; i < n; i++) {
      const port = await freeNgPort();
      const argv = rtpengineArgv(port, 20000, 39999, `127.0.0.${20 + i}`);
      if (noMediaSeconds !== undefined) argv.push(`--timeout=${noMediaSeconds}`);
      children.push(spawnBound(RTPENGINE_BIN, argv));
      await ngReady(port, 10_000);
      ng.push(`127.0.0.1:${port}`);
    }
  } catch (e) {
    await stop();
    throw e;
  }
  return { ng, pids: children.map((c) => c.pid), stop };
}
