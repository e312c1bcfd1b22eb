/**
 * Shared pieces of the call benchmarks (bench/engine-cps.ts, bench/engine-memory.ts): the systems
 * under test as SipUdpTargets (sipp-direct, Kamailio, Palisade engine + srf B2BUA app), CPU of a
 * process tree, UDP receive-buffer drops, and one bounded call-load trial driven by sipp
 * (test/fixtures/sipp/invite-uac.xml → SUT → bench/sipp/bench-uas.xml).
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { repoRoot } from '../test/support/repo';
import { processCpuSeconds } from '../test/support/proc-net';
import { runSipp, startSippUas, type SippResult } from '../test/support/sipp';
import { commandTarget, type RunningTarget, type SipUdpTarget } from './sip-udp';
import type { AppStats } from './engine-b2bua-app';

export const KAMAILIO_BIN = existsSync('/usr/sbin/kamailio') ? '/usr/sbin/kamailio' : 'kamailio';
export const KAMAILIO_CFG = path.join(repoRoot, 'bench', 'kamailio', 'kamailio.cfg');
export const B2BUA_APP = path.join(repoRoot, 'dist', 'bench', 'engine-b2bua-app.js');
/** The trials' UAS: invite-uas.xml plus a 481 for a stray CANCEL or BYE of an earlier trial (see the file). */
export const BENCH_UAS = path.join(repoRoot, 'bench', 'sipp', 'bench-uas.xml');
/**
 * sipp's SIP socket buffers in trials (-buff_size; the kernel caps it at net.core.rmem_max):
 * sipp's own default, 64 KiB, overflowed on a burst of ~100 datagrams after any SUT pause — the
 * load generator, not the SUT, then lost the messages (RFC 7501 §4: the harness must not limit).
 */
export const SIPP_SOCKET_BUFFER = 4 * 1024 * 1024;

/** A system under test: where the UAC sends, given where the sipp UAS listens. */
export interface CallTarget {
  name: string;
  note: string;
  /** Start it (proxying/bridging to 127.0.0.1:uasPort); undefined `sut` = UAC talks to the UAS. */
  start(uasPort: number, sutPort: number): Promise<RunningCallTarget>;
}

export interface RunningCallTarget {
  /** Where the UAC sends INVITEs. */
  port: number;
  /** Several SUT instances (bench/scale-cps.ts): one sipp UAC per port, the rate split evenly. */
  uacPorts?: readonly number[];
  /** The SUT's root pid (its CPU includes all its descendants), undefined for sipp-direct. */
  pid?: number;
  /** Palisade only: ask the app for its statistics. */
  stats?: () => Promise<AppStats | undefined>;
  stop(): Promise<void>;
}

export const sippDirectTarget: CallTarget = {
  name: 'sipp-direct',
  note: 'sipp UAC → sipp UAS, no proxy (ceiling of the load generator)',
  start: (uasPort) => Promise.resolve({ port: uasPort, stop: () => Promise.resolve() }),
};

function fromSipUdp(
  t: SipUdpTarget,
  port: number,
  extra: Partial<RunningCallTarget> = {},
): Promise<RunningCallTarget> {
  return t.start(port).then((r: RunningTarget) => ({
    port,
    ...(r.pid === undefined ? {} : { pid: r.pid }),
    ...extra,
    stop: () => r.stop(),
  }));
}

export function kamailioTarget(children = 4): CallTarget {
  return {
    name: 'kamailio',
    note: `Kamailio (Debian) tm+rr stateful proxy, record-route, ${children} UDP workers, bench/kamailio/kamailio.cfg`,
    start: (uasPort, sutPort) => {
      const runtime = mkdtempSync(path.join(os.tmpdir(), 'palisade-kamailio-'));
      const argv = [
        KAMAILIO_BIN,
        ...['-f', KAMAILIO_CFG, '-D', '-E', '-Y', runtime, '-w', runtime, '-m', '256', '-M', '16'],
        ...['-A', 'NO_DEFAULT_LISTEN', '-l', 'udp:127.0.0.1:{port}', '-n', String(children)],
        ...['-A', `UAS_DU="sip:127.0.0.1:${uasPort}"`],
      ];
      return fromSipUdp(commandTarget('kamailio', argv), sutPort);
    },
  };
}

/** Read the app's stats file after SIGUSR2 (written atomically by engine-b2bua-app). */
async function appStats(pid: number, file: string): Promise<AppStats | undefined> {
  const before = existsSync(file) ? readFileSync(file, 'utf8') : '';
  try {
    process.kill(pid, 'SIGUSR2');
  } catch {
    return undefined;
  }
  for (let i = 0; i < 100; i++) {
    await new Promise((r) => setTimeout(r, 50));
    const now = existsSync(file) ? readFileSync(file, 'utf8') : '';
    if (now !== '' && now !== before) return JSON.parse(now) as AppStats;
  }
  return undefined;
}

/** The node flags bin/palisade runs with (its `#!/usr/bin/env -S node …` line): benches start it the same way. */
export function palisadeNodeFlags(): string[] {
  const shebang = readFileSync(path.join(repoRoot, 'bin', 'palisade'), 'utf8').split('\n')[0] ?? '';
  return shebang.split(/\s+/).slice(shebang.split(/\s+/).indexOf('node') + 1);
}

export interface PalisadeTargetOptions {
  timers?: { t1: number; t2: number; t4: number };
  /** Extra node flags, e.g. --expose-gc. */
  nodeFlags?: readonly string[];
  /** Extra engine-b2bua-app arguments, e.g. ['--max-utilization', '0']. */
  appArgs?: readonly string[];
  /** The engine in a worker thread (engine-b2bua-app --engine-thread), as `palisade start` runs it. */
  engineThread?: boolean;
  /** Target name (default palisade). */
  name?: string;
}

export function palisadeTarget(o: PalisadeTargetOptions = {}): CallTarget {
  const t = o.timers ?? { t1: 500, t2: 4000, t4: 5000 };
  return {
    name: o.name ?? 'palisade',
    note:
      `Palisade engine${o.engineThread === true ? ' (worker thread)' : ''} + drachtio-srf createB2BUA app, ` +
      `one node process (T1 ${t.t1} T2 ${t.t2} T4 ${t.t4} ms)`,
    start: async (uasPort, sutPort) => {
      const statsFile = path.join(mkdtempSync(path.join(os.tmpdir(), 'palisade-b2bua-')), 'stats.json');
      const argv = [
        process.execPath,
        ...palisadeNodeFlags(),
        ...(o.nodeFlags ?? []),
        B2BUA_APP,
        ...['--port', '{port}', '--uas', `127.0.0.1:${uasPort}`, '--stats-file', statsFile],
        ...['--t1', String(t.t1), '--t2', String(t.t2), '--t4', String(t.t4)],
        ...(o.engineThread === true ? ['--engine-thread'] : []),
        ...(o.appArgs ?? []),
      ];
      const running = await fromSipUdp(commandTarget('palisade', argv), sutPort);
      const pid = running.pid;
      return pid === undefined ? running : { ...running, stats: () => appStats(pid, statsFile) };
    },
  };
}

/** pid and all its descendants (from /proc/<pid>/stat ppid). */
export function processTree(root: number): number[] {
  const parent = new Map<number, number>();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      parent.set(Number(d), ppid);
    } catch {
      // exited meanwhile
    }
  }
  const out = [root];
  for (let i = 0; i < out.length; i++) {
    for (const [pid, ppid] of parent) if (ppid === out[i]) out.push(pid);
  }
  return out;
}

/** CPU seconds of a process tree (live processes only). */
export function treeCpuSeconds(root: number): number {
  return processTree(root).reduce((s, pid) => s + (processCpuSeconds(pid) ?? 0), 0);
}

/** Resident set size of one process in bytes (VmRSS), undefined once gone. */
export function rssBytes(pid: number): number | undefined {
  const file = `/proc/${pid}/status`;
  if (!existsSync(file)) return undefined;
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(file, 'utf8'));
  return m?.[1] === undefined ? undefined : Number(m[1]) * 1024;
}

/** Udp RcvbufErrors from /proc/net/snmp (system-wide, all sockets). */
export function udpRcvbufErrors(): number {
  const lines = readFileSync('/proc/net/snmp', 'utf8')
    .split('\n')
    .filter((l) => l.startsWith('Udp:'));
  const [names, values] = [lines[0]?.split(/\s+/) ?? [], lines[1]?.split(/\s+/) ?? []];
  const i = names.indexOf('RcvbufErrors');
  return i < 0 ? 0 : Number(values[i] ?? 0);
}

/** `00:00:01:234567` (sipp's H:M:S:µs) → milliseconds. */
function sippDurationMs(v: string | undefined): number {
  const parts = (v ?? '').split(':').map(Number);
  if (parts.length !== 4 || parts.some((n) => !Number.isFinite(n))) return Number.NaN;
  const [h = 0, m = 0, s = 0, us = 0] = parts;
  return ((h * 60 + m) * 60 + s) * 1000 + us / 1000;
}

/** Setup-delay percentile as the upper bound of sipp's ResponseTimeRepartition1 bucket (all UACs). */
function setupPercentile(rs: readonly SippResult[], p: number): string {
  const counts = new Map<string, number>();
  for (const r of rs)
    for (const [k, v] of Object.entries(r.stats.raw))
      if (k.startsWith('ResponseTimeRepartition1_')) counts.set(k, (counts.get(k) ?? 0) + Number(v || 0));
  const total = [...counts.values()].reduce((s, v) => s + v, 0);
  let acc = 0;
  for (const [k, v] of counts) {
    acc += v;
    if (total > 0 && acc >= total * p) return k.slice('ResponseTimeRepartition1_'.length);
  }
  return '-';
}

export interface TrialOptions {
  rate: number;
  seconds: number;
  holdMs: number;
  /** Messages each call sends (UAC INVITE/ACK/BYE + UAS 100/180/200/200): retransmission base. */
  messagesPerCall?: number;
  /** UAC scenario (fixture name or path; default invite-uac.xml, e.g. bench/sipp/sbc-uac.xml). */
  uacScenario?: string;
  /** Called with the sipp UAS pid once it listens, and with the UAC pid once it is spawned. */
  onSipp?: (role: 'uac' | 'uas', pid: number) => void;
}

export interface Trial {
  /** 'warmup': run before the search, not judged (cps-search.ts). */
  phase: 'warmup' | 'step' | 'binary' | 'confirm';
  offered: number;
  seconds: number;
  calls: number;
  successful: number;
  /** UAC failed + UAS failed calls. */
  failed: number;
  /** sipp's own retransmissions (UAC and UAS) plus the SUT's they received (`sutRetransmissions`). */
  retransmissions: number;
  /** Copies of messages the SUT sent again that reached a sipp (late INVITE copies at the UAS too). */
  sutRetransmissions: number;
  retransPct: number;
  /** Calls placed per second (created / (elapsed − hold)). */
  placed: number;
  setupAvgMs: number;
  setupP50: string;
  setupP95: string;
  sutCpu?: number;
  uacCpu: number;
  uasCpu: number;
  loadAvg: number;
  rcvbufErrors: number;
  uacOutcome: string;
  uasOutcome: string;
  passed: boolean;
  why: string;
  errors: string;
}

/**
 * Retransmissions from the SUT a sipp received: its per-message "Retrans" counts of received
 * messages, plus INVITE copies the UAS took after its 200 (bench-uas.xml's second INVITE line:
 * the SUT's Timer A fired before it read the 100). sipp's own -trace_stat counts only what it
 * sent again.
 */
function receivedCopies(r: SippResult): number {
  const received = r.screen.messages.filter((m) => m.direction === 'received');
  const lateInvites = received.filter((m) => m.label === 'INVITE').slice(1);
  return received.reduce((n, m) => n + m.retrans, 0) + lateInvites.reduce((n, m) => n + m.messages, 0);
}

/** One bounded trial: fresh sipp UAS on uasPort, sipp UAC at `rate` for `seconds` to sutPort. */
export async function runTrial(
  phase: Trial['phase'],
  sut: RunningCallTarget,
  uasPort: number,
  o: TrialOptions,
): Promise<Trial> {
  const calls = Math.max(1, Math.round(o.rate * o.seconds));
  const budgetMs = o.seconds * 2000 + o.holdMs + 20_000;
  const uas = await startSippUas({
    scenario: BENCH_UAS,
    localPort: uasPort,
    traceMessages: false,
    bufferSize: SIPP_SOCKET_BUFFER,
    timeoutMs: budgetMs + 10_000,
    timeoutIsError: false,
  });
  o.onSipp?.('uas', uas.pid);
  const cpu = (pid: number | undefined): number => (pid === undefined ? 0 : treeCpuSeconds(pid));
  const ports = sut.uacPorts ?? [sut.port];
  const uacCpuS = ports.map(() => 0);
  const samplers: NodeJS.Timeout[] = [];
  const sut0 = cpu(sut.pid);
  const uas0 = cpu(uas.pid);
  const drops0 = udpRcvbufErrors();
  const wall0 = Date.now();
  // one UAC per SUT port, calls and rate split evenly (the first ones take the remainders)
  const share = (n: number, i: number): number =>
    Math.floor(n / ports.length) + (i < n % ports.length ? 1 : 0);
  const uacs = await Promise.all(
    ports.map((port, i) =>
      runSipp({
        scenario: o.uacScenario ?? 'invite-uac.xml',
        remote: { host: '127.0.0.1', port },
        calls: Math.max(1, share(calls, i)),
        rate: ports.length === 1 ? o.rate : Math.max(1, share(Math.round(o.rate), i)),
        pauseMs: o.holdMs,
        traceMessages: false,
        bufferSize: SIPP_SOCKET_BUFFER,
        recvTimeoutMs: 10_000,
        timeoutMs: budgetMs,
        onSpawn: (pid) => {
          o.onSipp?.('uac', pid);
          samplers.push(
            setInterval(() => {
              uacCpuS[i] = processCpuSeconds(pid) ?? uacCpuS[i] ?? 0;
            }, 100),
          );
        },
      }),
    ),
  );
  for (const t of samplers) clearInterval(t);
  const wallS = (Date.now() - wall0) / 1000;
  const sutCpu = sut.pid === undefined ? undefined : ((cpu(sut.pid) - sut0) / wallS) * 100;
  const uasCpu = ((cpu(uas.pid) - uas0) / wallS) * 100;
  const loadAvg = os.loadavg()[0] ?? 0;
  const rcvbufErrors = udpRcvbufErrors() - drops0;
  const uasResult = await uas.stop(3000);
  const total = (f: (s: SippResult['stats']) => number): number => uacs.reduce((n, u) => n + f(u.stats), 0);
  const successful = total((s) => s.successful);
  const failed = total((s) => s.failed) + uasResult.stats.failed;
  const sutRetransmissions = [...uacs, uasResult].reduce((n, r) => n + receivedCopies(r), 0);
  const retransmissions =
    total((s) => s.retransmissions) + uasResult.stats.retransmissions + sutRetransmissions;
  const retransPct = (retransmissions / (calls * (o.messagesPerCall ?? 7))) * 100;
  const placed = total((s) => s.callsCreated / Math.max(0.001, s.elapsedMs / 1000 - o.holdMs / 1000));
  // average setup time over all UACs, weighted by their successful calls
  const setupAvgMs =
    uacs.reduce((n, u) => n + sippDurationMs(u.stats.raw['ResponseTime1(C)']) * u.stats.successful, 0) /
    Math.max(1, successful);
  const why: string[] = [];
  for (const uac of uacs) if (uac.exitCode !== 0) why.push(`uac ${uac.outcome}`);
  if (failed > 0) why.push(`${failed} failed`);
  if (successful !== calls) why.push(`${successful}/${calls} ok`);
  if (retransPct >= 1) why.push(`retrans ${retransPct.toFixed(2)}%`);
  if (placed < 0.95 * o.rate) why.push(`placed ${placed.toFixed(0)}/s < 95%`);
  return {
    phase,
    offered: o.rate,
    seconds: o.seconds,
    calls,
    successful,
    failed,
    retransmissions,
    sutRetransmissions,
    retransPct,
    placed,
    setupAvgMs: uacs.length === 1 ? sippDurationMs(uacs[0]?.stats.raw['ResponseTime1(C)']) : setupAvgMs,
    setupP50: setupPercentile(uacs, 0.5),
    setupP95: setupPercentile(uacs, 0.95),
    ...(sutCpu === undefined ? {} : { sutCpu }),
    uacCpu: (uacCpuS.reduce((a, b) => a + b, 0) / wallS) * 100,
    uasCpu,
    loadAvg,
    rcvbufErrors,
    uacOutcome: uacs.map((u) => u.outcome).join(','),
    uasOutcome: uasResult.outcome,
    passed: why.length === 0,
    why: why.join(', '),
    errors: (uacs.map((u) => u.errors).join('') + uasResult.errors).slice(0, 2000),
  };
}
