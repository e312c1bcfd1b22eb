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
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
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
 * Ports for the benches' rtpengines, all below the kernel's ephemeral ports (32768–60999 here,
 * `ip_local_port_range`), where every port the benches let the kernel pick lives (SIP ports of the
 * SUT and of sipp, Kamailio's). rtpengine binds its media and ng sockets with SO_REUSEADDR: a media
 * port that lands on another socket's port that also has SO_REUSEADDR (another engine's ng port,
 * Kamailio's SIP socket) is bound a second time and takes that socket's traffic over until the
 * call ends. That was the multi-second Kamailio + rtpengine stalls of earlier sessions (Kamailio
 * silent while the UAC kept sending, every ng command answered) and an engine of the memory phase
 * going "down". One range serves every engine: the paths run one after another, and the fleet's
 * engines each have their own address.
 */
export const BENCH_MEDIA_PORTS: readonly [number, number] = [12000, 31999];
const NG_PORTS: readonly [number, number] = [10000, 11999];

/** Throws when the kernel may hand out ports inside the benches' rtpengine ranges. */
export function assertPortsBelowEphemeral(): void {
  const low = Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]);
  if (Number.isFinite(low) && low <= BENCH_MEDIA_PORTS[1])
    throw new Error(
      `ephemeral ports start at ${low}, inside the benches' rtpengine ports ${NG_PORTS[0]}-${BENCH_MEDIA_PORTS[1]}`,
    );
}

/** A free port for an rtpengine's ng control socket (NG_PORTS, below every media range). */
export function freeNgPort(): Promise<number> {
  assertPortsBelowEphemeral();
  return freeUdpPortBetween(NG_PORTS[0], NG_PORTS[1]);
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
 * Starts `n` rtpengines, engine i with media on 127.0.0.(20+i), BENCH_MEDIA_PORTS, and
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
      const argv = rtpengineArgv(port, BENCH_MEDIA_PORTS[0], BENCH_MEDIA_PORTS[1], `127.0.0.${20 + i}`);
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
