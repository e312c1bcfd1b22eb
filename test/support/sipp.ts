/**
 * Drive the real `sipp` binary (Debian sip-tester 3.6.1) from tests and benchmarks.
 *
 * `runSipp()` runs one scenario to completion and resolves with the exit code, the statistics
 * of the final `-trace_stat` row (or of the `-trace_screen` dump), and the paths of the message
 * and error logs. `startSippUas()` starts a server-side scenario, waits until its socket is
 * bound, and returns a handle to stop it (SIGUSR1: sipp's soft exit, which still writes the
 * final statistics). sipp always binds 127.0.0.1 (or the given loopback address), its control
 * socket included, runs in the foreground with -nostdin, and is killed if we die (spawnBound).
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnBound, type BoundChild } from '../../lib/util/bound-child';
import { eventually } from './http';
import { freeSipPort, freeUdpPort } from './ports';
import { portBound } from './proc-net';
import { repoRoot } from './repo';
import { parseScreen, parseStatsCsv, type SippScreen, type SippStats } from './sipp-stats';
import { sippArgs, type SippOptions } from './sipp-args';

export type { SippOptions, SippTransport } from './sipp-args';
export type { SippMessageCounter, SippScreen, SippStats } from './sipp-stats';

export const SIPP_BIN = existsSync('/usr/bin/sipp') ? '/usr/bin/sipp' : 'sipp';
export const SIPP_FIXTURES = path.join(repoRoot, 'test', 'fixtures', 'sipp');

/** What sipp's exit code means (sipp -h, "Exit codes"). */
export type SippOutcome =
  | 'all-succeeded' // 0
  | 'some-failed' // 1
  | 'internal-command' // 97
  | 'no-calls' // 99
  | 'fatal' // 255 (-1)
  | 'fatal-bind' // 254 (-2)
  | 'killed' // hard deadline or stop() had to kill it
  | 'unknown';

export interface SippResult {
  exitCode: number | null;
  outcome: SippOutcome;
  /** Final statistics; from the CSV when present, else from the screen dump (zeros if neither). */
  stats: SippStats;
  screen: SippScreen;
  files: { dir: string; stats: string; messages?: string; errors: string; screen: string };
  /** Content of the -trace_err file (unexpected messages, timeouts), '' when none. */
  errors: string;
  /** Last lines sipp wrote to stdout/stderr. */
  output: string;
  argv: readonly string[];
  durationMs: number;
}

export interface SippUas {
  readonly host: string;
  readonly port: number;
  readonly pid: number;
  /** Resolves when sipp exits by itself (e.g. after -m calls) or after stop(). */
  readonly done: Promise<SippResult>;
  /** Soft exit (SIGUSR1: finish ongoing calls), then SIGTERM/SIGKILL after `graceMs`. */
  stop(graceMs?: number): Promise<SippResult>;
}

/** A fixture name (`options-uac.xml`) or a path. */
export function scenarioPath(scenario: string): string {
  return path.isAbsolute(scenario) || scenario.includes('/')
    ? path.resolve(scenario)
    : path.join(SIPP_FIXTURES, scenario);
}

function outcomeOf(code: number | null, killed: boolean): SippOutcome {
  if (killed) return 'killed';
  const table: Record<number, SippOutcome> = {
    0: 'all-succeeded',
    1: 'some-failed',
    97: 'internal-command',
    99: 'no-calls',
    255: 'fatal',
    254: 'fatal-bind',
  };
  return code === null ? 'killed' : (table[code] ?? 'unknown');
}

function readIfExists(file: string, maxBytes = 1 << 20): string {
  if (!existsSync(file)) return '';
  return readFileSync(file).subarray(0, maxBytes).toString('utf8');
}

function emptyStats(screen: SippScreen): SippStats {
  return {
    callsCreated: screen.callsCreated ?? 0,
    currentCalls: 0,
    successful: screen.successful ?? 0,
    failed: screen.failed ?? 0,
    retransmissions: screen.messages.reduce((sum, m) => sum + m.retrans, 0),
    failedMaxUdpRetrans: 0,
    failedUnexpectedMessage: 0,
    failedTimeoutOnRecv: 0,
    failedTcpConnect: 0,
    outOfCallMessages: 0,
    deadCallMessages: 0,
    elapsedMs: 0,
    callRate: 0,
    raw: {},
  };
}

interface Launched {
  child: BoundChild;
  done: Promise<SippResult>;
  /** Set when we had to kill sipp (deadline or forced stop). */
  markKilled(): void;
}

function launch(opts: SippOptions, localPort: number | undefined): Launched {
  const dir = opts.workDir ?? mkdtempSync(path.join(os.tmpdir(), 'palisade-sipp-'));
  const files = {
    dir,
    stats: path.join(dir, 'stats.csv'),
    messages: opts.traceMessages === false ? undefined : path.join(dir, 'messages.log'),
    errors: path.join(dir, 'errors.log'),
    screen: path.join(dir, 'screen.log'),
  };
  let injection: string | undefined;
  if (opts.injection !== undefined && typeof opts.injection !== 'string') {
    injection = path.join(dir, 'injection.csv');
    const rows = opts.injection.rows.map((r) => r.join(';'));
    writeFileSync(injection, [opts.injection.mode ?? 'SEQUENTIAL', ...rows, ''].join('\n'));
  }
  const argv = sippArgs(opts, { scenario: scenarioPath(opts.scenario), localPort, files, injection });
  const started = Date.now();
  const child = spawnBound(SIPP_BIN, argv);
  opts.onSpawn?.(child.pid);
  let killed = false;
  const deadlineMs = opts.hardDeadlineMs ?? (opts.timeoutMs ?? 30_000) + 5_000;
  const deadline = setTimeout(() => {
    killed = true;
    void child.stop(1000);
  }, deadlineMs);
  const done = child.exited.then((exitCode): SippResult => {
    clearTimeout(deadline);
    const screen = parseScreen(readIfExists(files.screen));
    const stats = parseStatsCsv(readIfExists(files.stats)) ?? emptyStats(screen);
    return {
      exitCode,
      outcome: outcomeOf(exitCode, killed),
      stats,
      screen,
      files,
      errors: readIfExists(files.errors),
      output: child.recentOutput(),
      argv,
      durationMs: Date.now() - started,
    };
  });
  return {
    child,
    done,
    markKilled: () => {
      killed = true;
    },
  };
}

/** Run a scenario to completion (UAC: `remote` required; `-m` strongly advised). */
export async function runSipp(opts: SippOptions): Promise<SippResult> {
  return launch(opts, opts.localPort ?? (await pickPort(opts))).done;
}

/** sipp treats a missing -p (and -p 0) as 5060 when that is free: always choose one ourselves. */
async function pickPort(opts: Partial<SippOptions>): Promise<number> {
  const host = opts.localIp ?? '127.0.0.1';
  return (opts.transport ?? 'u1').startsWith('t') ? freeSipPort(host) : freeUdpPort(host);
}

/** Start a server-side scenario (default `options-uas.xml`) and wait until it listens. */
export async function startSippUas(
  opts: Partial<SippOptions> & { readyTimeoutMs?: number } = {},
): Promise<SippUas> {
  const tcp = (opts.transport ?? 'u1').startsWith('t');
  const host = opts.localIp ?? '127.0.0.1';
  const port = opts.localPort ?? (await pickPort(opts));
  const full: SippOptions = {
    scenario: 'options-uas.xml',
    timeoutMs: 10 * 60_000,
    ...opts,
    remote: undefined,
    localPort: port,
  };
  const run = launch(full, port);
  let exited = false;
  void run.done.then(() => (exited = true));
  try {
    await eventually(
      () => {
        if (exited) throw new Error(`sipp exited before listening: ${run.child.recentOutput()}`);
        if (!portBound(port, tcp ? 'tcp' : 'udp')) throw new Error(`sipp not bound to ${host}:${port} yet`);
      },
      opts.readyTimeoutMs ?? 5000,
      20,
    );
  } catch (e) {
    await run.child.stop(500);
    throw e;
  }
  let stopping: Promise<SippResult> | undefined;
  return {
    host,
    port,
    pid: run.child.pid,
    done: run.done,
    stop(graceMs = 3000) {
      stopping ??= (async () => {
        if (!exited) {
          try {
            process.kill(run.child.pid, 'SIGUSR1');
          } catch (e) {
            // ESRCH: it exited on its own and the exit event is still on its way
            if ((e as NodeJS.ErrnoException).code !== 'ESRCH') throw e;
          }
        }
        const timer = setTimeout(() => {
          run.markKilled();
          void run.child.stop(1000);
        }, graceMs);
        const result = await run.done;
        clearTimeout(timer);
        return result;
      })();
      return stopping;
    },
  };
}
