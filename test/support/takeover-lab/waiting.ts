/** Waiting for sipp sides and for state to settle, with bounded time (takeover-run.ts). */
import { eventually } from '../http';
import type { LabSipp, LabSippResult } from './lab-sipp';

/** Resolves with `p`, or with `stop()` once `graceMs` passed after `other` settled. */
export async function finishAfter(
  p: LabSipp,
  other: Promise<unknown>,
  graceMs: number,
): Promise<LabSippResult> {
  await Promise.race([p.done, other]);
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => {
    timer = setTimeout(() => {
      resolve('late');
    }, graceMs);
  });
  const first = await Promise.race([p.done, late]);
  clearTimeout(timer);
  return first === 'late' ? p.stop(2000) : first;
}

export async function settle<T>(what: () => Promise<T>, accept: (v: T) => boolean, ms: number): Promise<T> {
  let last: T | undefined;
  try {
    return await eventually(async () => {
      last = await what();
      if (!accept(last)) throw new Error('not yet');
      return last;
    }, ms);
  } catch {
    if (last === undefined) throw new Error('no answer');
    return last;
  }
}
