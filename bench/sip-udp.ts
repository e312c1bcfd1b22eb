/**
 * SIP over UDP: the highest OPTIONS rate a UAS answers with zero failed transactions.
 *
 * sipp's options-uac offers rising rates (500, 1000, 2000, … calls/s; each step a fixed number of
 * seconds) to every target in turn; a target's run stops at the first step with a failed call or
 * with an achieved rate below 90 % of the offered one. Its ceiling is the highest offered rate it
 * passed. sipp's own options-uas always runs too, as the reference (the sipp-to-sipp ceiling):
 * on a small machine the load generator is a large part of what is measured.
 *
 *   node dist/bench/sip-udp.js [--rates 500,1000,2000] [--step-seconds 3]
 *        [--target-cmd "palisade=node dist/bench/palisade-options-uas.js --port {port}"]
 *
 * From code: runSipUdpBench({ targets: [{ name, start: async (port) => ({ stop, pid }) }] }).
 */
import { spawnBound } from '../lib/util/bound-child';
import { eventually } from '../test/support/http';
import { freeUdpPort } from '../test/support/ports';
import { portBound, processCpuSeconds } from '../test/support/proc-net';
import { runSipp, startSippUas } from '../test/support/sipp';
import { formatSipUdpReport } from './sip-udp-report';

export interface RunningTarget {
  stop(): Promise<void>;
  /** When known, the target's CPU use is reported. */
  pid?: number;
}

export interface SipUdpTarget {
  name: string;
  note?: string;
  /** Start a UAS answering OPTIONS with 200 on udp 127.0.0.1:port; resolve once it listens. */
  start(port: number): Promise<RunningTarget>;
}

export interface BenchStep {
  offered: number;
  calls: number;
  /** sipp UAC processes sharing the offered rate (one sipp paces at most ~15k calls/s). */
  uacProcesses: number;
  successful: number;
  failed: number;
  /** Successful calls per second of sipp's run time. */
  achieved: number;
  retransmissions: number;
  /** Target CPU over the step as % of one core (undefined without a pid). */
  targetCpu?: number;
  /** The sipp UAC process(es) (load generator) CPU over the step, % of one core. */
  uacCpu: number;
  exitCode: number | null;
  passed: boolean;
}

export interface TargetResult {
  name: string;
  note?: string;
  steps: BenchStep[];
  /** Highest offered rate passed (0 if none). */
  ceiling: number;
}

export interface SipUdpBenchOptions {
  targets?: readonly SipUdpTarget[];
  rates?: readonly number[];
  stepSeconds?: number;
  /** Offered rate per sipp UAC process; higher rates are split over several (default 10 000). */
  ratePerUac?: number;
  /** Progress lines (default: stderr). */
  log?: (line: string) => void;
}

export const DEFAULT_RATES = [500, 1000, 2000, 4000, 8000, 12000, 16000, 24000, 32000, 48000] as const;

/** The reference: sipp's options-uas fixture. */
export const sippUasTarget: SipUdpTarget = {
  name: 'sipp-uas',
  note: 'sipp 3.6.1 options-uas.xml (reference: sipp-to-sipp ceiling)',
  start: async (port) => {
    const uas = await startSippUas({ scenario: 'options-uas.xml', localPort: port, traceMessages: false });
    return {
      pid: uas.pid,
      stop: async () => {
        await uas.stop(2000);
      },
    };
  },
};

/** A target from a command line; `{port}` in any argument is replaced by the port to listen on. */
export function commandTarget(name: string, argv: readonly string[]): SipUdpTarget {
  const [cmd, ...rest] = argv;
  if (cmd === undefined) throw new Error(`target ${name}: empty command`);
  return {
    name,
    note: argv.join(' '),
    start: async (port) => {
      const child = spawnBound(
        cmd,
        rest.map((a) => a.replaceAll('{port}', String(port))),
      );
      let exited = false;
      void child.exited.then(() => (exited = true));
      await eventually(
        () => {
          if (exited) throw new Error(`${name} exited: ${child.recentOutput()}`);
          if (!portBound(port, 'udp')) throw new Error(`${name} does not listen on udp ${port}`);
        },
        15_000,
        50,
      );
      return { pid: child.pid, stop: () => child.stop(3000) };
    },
  };
}

interface UacRun {
  successful: number;
  failed: number;
  retransmissions: number;
  elapsedS: number;
  cpuS: number;
  exitCode: number | null;
}

/** One sipp options-uac process; its CPU is sampled while it runs (gone from /proc after). */
async function uac(port: number, calls: number, rate: number, seconds: number): Promise<UacRun> {
  let cpuS = 0;
  let sampler: NodeJS.Timeout | undefined;
  const r = await runSipp({
    onSpawn: (pid) => {
      sampler = setInterval(() => {
        cpuS = processCpuSeconds(pid) ?? cpuS;
      }, 100);
    },
    scenario: 'options-uac.xml',
    remote: { host: '127.0.0.1', port },
    calls,
    rate,
    traceMessages: false,
    recvTimeoutMs: 2000,
    timeoutMs: seconds * 3000 + 10_000,
  });
  clearInterval(sampler);
  const { successful, failed, retransmissions, elapsedMs } = r.stats;
  return { successful, failed, retransmissions, elapsedS: elapsedMs / 1000, cpuS, exitCode: r.exitCode };
}

async function step(
  port: number,
  rate: number,
  o: Required<SipUdpBenchOptions>,
  pid?: number,
): Promise<BenchStep> {
  const seconds = o.stepSeconds;
  const processes = Math.max(1, Math.ceil(rate / o.ratePerUac));
  const calls = Math.round((rate * seconds) / processes) * processes;
  const cpu0 = pid === undefined ? undefined : processCpuSeconds(pid);
  const wall0 = Date.now();
  const runs = await Promise.all(
    Array.from({ length: processes }, () => uac(port, calls / processes, rate / processes, seconds)),
  );
  const wallS = (Date.now() - wall0) / 1000;
  const cpu1 = pid === undefined ? undefined : processCpuSeconds(pid);
  const sum = (f: (r: UacRun) => number): number => runs.reduce((acc, r) => acc + f(r), 0);
  const successful = sum((r) => r.successful);
  const failed = sum((r) => r.failed);
  const elapsedS = Math.max(...runs.map((r) => r.elapsedS)) || wallS;
  const achieved = successful / elapsedS;
  const exitCode = runs.find((r) => r.exitCode !== 0)?.exitCode ?? 0;
  return {
    offered: rate,
    calls,
    uacProcesses: processes,
    successful,
    failed,
    achieved,
    retransmissions: sum((r) => r.retransmissions),
    targetCpu: cpu0 === undefined || cpu1 === undefined ? undefined : ((cpu1 - cpu0) / wallS) * 100,
    uacCpu: (sum((r) => r.cpuS) / wallS) * 100,
    exitCode,
    passed: exitCode === 0 && failed === 0 && successful === calls && achieved >= 0.9 * rate,
  };
}

async function benchTarget(t: SipUdpTarget, o: Required<SipUdpBenchOptions>): Promise<TargetResult> {
  const port = await freeUdpPort();
  const running = await t.start(port);
  const steps: BenchStep[] = [];
  try {
    for (const rate of o.rates) {
      const s = await step(port, rate, o, running.pid);
      steps.push(s);
      o.log(
        `${t.name}: ${rate}/s → ${s.achieved.toFixed(0)}/s, ${s.failed} failed, ${s.retransmissions} retrans, ${s.uacProcesses} uac`,
      );
      if (!s.passed) break;
      await new Promise((r) => setTimeout(r, 500)); // let the kernel queues drain
    }
  } finally {
    await running.stop();
  }
  const ceiling = Math.max(0, ...steps.filter((s) => s.passed).map((s) => s.offered));
  return { name: t.name, note: t.note, steps, ceiling };
}

export async function runSipUdpBench(opts: SipUdpBenchOptions = {}): Promise<TargetResult[]> {
  const o: Required<SipUdpBenchOptions> = {
    targets: opts.targets ?? [],
    rates: opts.rates ?? DEFAULT_RATES,
    stepSeconds: opts.stepSeconds ?? 3,
    ratePerUac: opts.ratePerUac ?? 10_000,
    log: opts.log ?? ((l) => process.stderr.write(`${l}\n`)),
  };
  const results: TargetResult[] = [];
  for (const t of [...o.targets, sippUasTarget]) results.push(await benchTarget(t, o));
  return results;
}

export { formatSipUdpReport };

interface Cli {
  targets: SipUdpTarget[];
  rates: number[];
  stepSeconds: number;
}

const USAGE =
  'usage: node dist/bench/sip-udp.js [--rates 500,1000,...] [--step-seconds N] ' +
  '[--target-cmd "name=command args with {port}"]...';

function parseCli(args: readonly string[]): Cli {
  const cli: Cli = { targets: [], rates: [...DEFAULT_RATES], stepSeconds: 3 };
  for (let i = 0; i < args.length; i += 2) {
    const [flag, value] = [args[i], args[i + 1]];
    if (value === undefined) throw new Error(USAGE);
    if (flag === '--rates') cli.rates = value.split(',').map(Number);
    else if (flag === '--step-seconds') cli.stepSeconds = Number(value);
    else if (flag === '--target-cmd') {
      const eq = value.indexOf('=');
      const [name, command] = eq > 0 ? [value.slice(0, eq), value.slice(eq + 1)] : [`target${i}`, value];
      cli.targets.push(commandTarget(name, command.trim().split(/\s+/)));
    } else throw new Error(USAGE);
  }
  if (cli.rates.some((r) => !(r > 0)) || !(cli.stepSeconds > 0)) throw new Error(USAGE);
  return cli;
}

async function main(): Promise<void> {
  const cli = parseCli(process.argv.slice(2));
  const results = await runSipUdpBench(cli);
  process.stdout.write(`${formatSipUdpReport(results, cli.stepSeconds)}\n`);
}

if (require.main === module) {
  main().catch((e: unknown) => {
    process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 1;
  });
}
