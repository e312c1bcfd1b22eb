/**
 * Bounded old-generation headroom once the B2BUA thread's heap is big (ADR 0011).
 *
 * V8 sets the next full GC's trigger at the live heap times a factor it picks from GC and mutator
 * speed, up to 4, and keeps the pages it grew into. Held calls make that heap big: with 20 000
 * calls up (≈ 200 MB live) it committed ≈ 330 MB before the full GC after the ramp. A fixed small
 * factor everywhere, though, costs a full GC every second or so at high call rates with a small
 * heap. So V8 chooses while the live heap (read after each full GC) is under `aboveMiB`, and a
 * fixed `percent` applies from there until the live heap falls below three quarters of it.
 *
 * V8 applies a growth factor when a full GC ends: on tightening, one full GC at once sets the new
 * trigger (otherwise the last one's, up to 4× live, would stand). V8 flags are process-wide, so
 * the engine worker's heap grows the same way meanwhile.
 */
import { PerformanceObserver, constants } from 'node:perf_hooks';
import { getHeapStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { Log } from '../util/logger';

export type HeapGrowthStep = 'tighten' | 'release';

/** Hysteresis between V8's own growth and the fixed factor; live bytes as read after a full GC. */
export class HeapGrowthPolicy {
  private tight = false;

  constructor(private readonly aboveBytes: number) {}

  get tightened(): boolean {
    return this.tight;
  }

  afterFullGc(liveBytes: number): HeapGrowthStep | undefined {
    if (!this.tight && liveBytes >= this.aboveBytes) {
      this.tight = true;
      return 'tighten';
    }
    if (this.tight && liveBytes < this.aboveBytes * 0.75) {
      this.tight = false;
      return 'release';
    }
    return undefined;
  }
}

/** What the governor needs from V8 (injected in tests). */
export interface HeapControl {
  /** Calls `onFullGc` after each full (mark-compact) GC; returns the unsubscribe. */
  onFullGc(onFullGc: () => void): () => void;
  usedHeapBytes(): number;
  /** `--heap-growing-percent`: 0 lets V8 choose. */
  setGrowingPercent(percent: number): void;
  /** A full GC now, when the runtime allows one (false otherwise). */
  collectFully(): boolean;
}

/** The `instance.heapGrowth` settings, plus where to log and (tests) a fake V8. */
export interface HeapGrowthOptions {
  /** Live heap (MiB) from which the fixed factor applies; 0 turns the governor off. */
  aboveMiB: number;
  percent: number;
  log: Log;
  control?: HeapControl;
}

export interface HeapGrowthGovernor {
  readonly tightened: boolean;
  stop(): void;
}

const MiB = 1_048_576;

export function governHeapGrowth(o: HeapGrowthOptions): HeapGrowthGovernor {
  if (o.aboveMiB <= 0) return { tightened: false, stop: () => undefined };
  const control = o.control ?? v8HeapControl();
  const policy = new HeapGrowthPolicy(o.aboveMiB * MiB);
  const mib = (b: number): number => Math.round(b / MiB);
  const unsubscribe = control.onFullGc(() => {
    const live = control.usedHeapBytes();
    const step = policy.afterFullGc(live);
    if (step === 'tighten') {
      control.setGrowingPercent(o.percent);
      const started = performance.now();
      const collected = control.collectFully();
      o.log.info(
        {
          liveMiB: mib(live),
          percent: o.percent,
          fullGcMs: collected ? Math.round(performance.now() - started) : null,
        },
        'heap growth limited: live heap above the threshold',
      );
    } else if (step === 'release') {
      control.setGrowingPercent(0);
      o.log.info({ liveMiB: mib(live) }, "heap growth back to V8's own");
    }
  });
  return {
    get tightened() {
      return policy.tightened;
    },
    stop() {
      unsubscribe();
      if (policy.tightened) control.setGrowingPercent(0);
    },
  };
}

/** The real thing: GC performance entries, heap statistics, runtime V8 flags. */
export function v8HeapControl(): HeapControl {
  let fullGc: (() => void) | undefined | null = null;
  return {
    onFullGc(onFullGc) {
      const observer = new PerformanceObserver((list) => {
        const full = list
          .getEntries()
          .some(
            (e) =>
              (Reflect.get(e, 'detail') as { kind?: number } | null)?.kind ===
              constants.NODE_PERFORMANCE_GC_MAJOR,
          );
        if (full) onFullGc();
      });
      observer.observe({ entryTypes: ['gc'] });
      return () => {
        observer.disconnect();
      };
    },
    usedHeapBytes: () => getHeapStatistics().used_heap_size,
    setGrowingPercent(percent) {
      setFlagsFromString(`--heap-growing-percent=${percent}`);
    },
    collectFully() {
      if (fullGc === null) fullGc = exposedGc();
      if (fullGc === undefined) return false;
      fullGc();
      return true;
    },
  };
}

/** V8's gc() in a fresh context: `--expose-gc` set at run time applies to contexts made after it. */
function exposedGc(): (() => void) | undefined {
  try {
    setFlagsFromString('--expose-gc');
    const gc: unknown = runInNewContext('gc');
    return typeof gc === 'function' ? () => void (gc as () => unknown)() : undefined;
  } catch {
    return undefined;
  }
}
