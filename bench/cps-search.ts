/**
 * The RFC 7501/7502 CPS search the call benchmarks share (bench/engine-cps.ts, bench/sbc-cps.ts,
 * bench/scale-cps.ts), their common command-line options and a few helpers around it.
 */
import type { Trial } from './call-load';

export interface SearchOptions {
  startRate: number;
  maxRate: number;
  stepSeconds: number;
  confirmSeconds: number;
  resolution: number;
  /**
   * Seconds of a warm-up trial at `startRate` before the search (0: none). Its result is logged
   * and ignored: a fresh target's first seconds run on cold (interpreted, not yet optimised)
   * code and would judge the first step on JIT warm-up, not on capacity.
   */
  warmupSeconds?: number;
}

/**
 * Confirmations before the search gives up (0 confirmed). Short steps pass a little above the rate
 * a target sustains (a queue that grows slowly fails a longer run only), so a failed confirmation
 * walks down in 10 % steps: six tries reach 59 % of the step rate, where three (73 %) reported 0
 * for a target whose 8-s steps passed at 675/s and whose 20-s runs failed from 546/s.
 */
const CONFIRM_TRIES = 6;

/**
 * RFC 7501/7502 search with `trial`: rates doubling from startRate until a step fails (or
 * max-rate passes), binary search between the last pass and the first failure to `resolution`,
 * then a confirmation run at the found rate (10 % lower on failure, up to CONFIRM_TRIES tries). A warm-up trial
 * (phase 'warmup', not judged) comes first when `warmupSeconds` > 0. Returns the confirmed rate
 * (0 if none) and the last passing step rate.
 */
export async function searchCps<T extends { passed: boolean }>(
  trial: (phase: Trial['phase'], rate: number, seconds: number) => Promise<T>,
  o: SearchOptions,
): Promise<{ cps: number; lastPass: number; confirmation?: T }> {
  let lo = 0;
  let hi = 0;
  if ((o.warmupSeconds ?? 0) > 0) await trial('warmup', o.startRate, o.warmupSeconds ?? 0);
  for (let rate = o.startRate; ; rate = Math.min(rate * 2, o.maxRate)) {
    const t = await trial('step', rate, o.stepSeconds);
    if (!t.passed) {
      hi = rate;
      break;
    }
    lo = rate;
    if (rate >= o.maxRate) break;
  }
  while (hi > 0 && hi - lo > Math.max(10, lo * o.resolution)) {
    const mid = Math.round((lo + hi) / 2);
    const t = await trial('binary', mid, o.stepSeconds);
    if (t.passed) lo = mid;
    else hi = mid;
  }
  for (let i = 0, rate = lo; i < CONFIRM_TRIES && rate > 0; i++, rate = Math.floor(rate * 0.9)) {
    const t = await trial('confirm', rate, o.confirmSeconds);
    if (t.passed) return { cps: rate, lastPass: lo, confirmation: t };
  }
  return { cps: 0, lastPass: lo };
}

/** The parseArgs options of the search and the call hold time, with their defaults. */
export const searchArgs = {
  'start-rate': { type: 'string', default: '100' },
  'max-rate': { type: 'string', default: '16000' },
  'step-seconds': { type: 'string', default: '10' },
  'confirm-seconds': { type: 'string', default: '30' },
  'hold-ms': { type: 'string', default: '1000' },
  resolution: { type: 'string', default: '0.05' },
  'warmup-seconds': { type: 'string', default: '10' },
} as const;

type SearchArgValues = { [K in keyof typeof searchArgs]: string };

/** SearchOptions, the hold time and a timestamped stderr log from parsed `searchArgs`. */
export function searchOptionsOf(
  values: SearchArgValues,
): SearchOptions & { holdMs: number; log: (line: string) => void } {
  return {
    startRate: Number(values['start-rate']),
    maxRate: Number(values['max-rate']),
    stepSeconds: Number(values['step-seconds']),
    confirmSeconds: Number(values['confirm-seconds']),
    holdMs: Number(values['hold-ms']),
    resolution: Number(values.resolution),
    warmupSeconds: Number(values['warmup-seconds']),
    log: (l) => process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${l}\n`),
  };
}

/** The targets a comma-separated `--targets` list names, in its order. */
export function pickTargets<T>(list: string, all: Record<string, T>): T[] {
  return list.split(',').map((n) => {
    const t = all[n.trim()];
    if (t === undefined) throw new Error(`unknown target ${n} (known: ${Object.keys(all).join(', ')})`);
    return t;
  });
}

/** Log a trial line and, when it failed, the first sipp error lines. */
export function logTrial(
  log: (line: string) => void,
  name: string,
  t: { passed: boolean; errors: string },
  line: string,
): void {
  log(`${name}: ${line}`);
  if (!t.passed && t.errors !== '')
    log(`${name}:   sipp errors: ${t.errors.split('\n').slice(0, 4).join(' | ')}`);
}

/** A pause between trials: queues and timers drain. */
export const settle = (ms = 1500): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Every trial starts from rest. `held` (when the target can tell) counts what the SUT still holds
 * of earlier trials — Palisade keeps transactions for their wait timers, 64·T1 = 32 s (RFC 3261
 * Timer J, RFC 6026 Timers L and M); Kamailio's rtpengine the calls of an overloaded trial until
 * its no-media timeout — and we wait until it is 0 (at most `giveUpMs`, 45 s); a target that
 * cannot tell gets a fixed pause longer than Kamailio's tm wait timer (5 s). With a 1.5 s pause a
 * trial ran on the leftovers of the one before: the confirmations, which follow the failed steps
 * of a search, started with some 70 000 transactions of earlier trials still waiting.
 */
export async function restBetweenTrials(
  held?: () => Promise<number | undefined>,
  giveUpMs = 45_000,
): Promise<void> {
  if (held === undefined) {
    await settle(6000);
    return;
  }
  const giveUpAt = Date.now() + giveUpMs;
  await settle();
  while (((await held()) ?? 0) > 0 && Date.now() < giveUpAt) await settle(2000);
}
