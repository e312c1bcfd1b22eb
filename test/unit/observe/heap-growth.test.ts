import assert from 'node:assert/strict';
import { getHeapStatistics } from 'node:v8';
import {
  HeapGrowthPolicy,
  governHeapGrowth,
  v8HeapControl,
  type HeapControl,
} from '../../../lib/observe/heap-growth';
import { capturingLog } from '../../support/capture-log';

const MiB = 1_048_576;

class FakeHeap implements HeapControl {
  used = 0;
  percents: number[] = [];
  fullGcs = 0;
  canCollect = true;
  private listener: (() => void) | undefined;

  onFullGc(onFullGc: () => void): () => void {
    this.listener = onFullGc;
    return () => {
      this.listener = undefined;
    };
  }
  usedHeapBytes(): number {
    return this.used;
  }
  setGrowingPercent(percent: number): void {
    this.percents.push(percent);
  }
  collectFully(): boolean {
    if (this.canCollect) this.fullGcs++;
    return this.canCollect;
  }
  /** A full GC left `liveMiB` behind. */
  gc(liveMiB: number): void {
    this.used = liveMiB * MiB;
    this.listener?.();
  }
}

describe('heap growth governor', () => {
  it('tightens at the threshold and releases below three quarters of it, not in between', () => {
    const p = new HeapGrowthPolicy(64 * MiB);
    assert.equal(p.afterFullGc(63 * MiB), undefined);
    assert.equal(p.afterFullGc(64 * MiB), 'tighten');
    assert.equal(p.afterFullGc(200 * MiB), undefined);
    assert.equal(p.afterFullGc(49 * MiB), undefined, 'between 48 and 64 MiB it stays tight');
    assert.equal(p.afterFullGc(47 * MiB), 'release');
    assert.equal(p.afterFullGc(60 * MiB), undefined, 'and stays released below the threshold');
  });

  it('sets the growth percent with one full GC when tightening, V8 own growth again on release and stop', () => {
    const heap = new FakeHeap();
    const { log, lines } = capturingLog();
    const g = governHeapGrowth({ aboveMiB: 64, percent: 20, log, control: heap });
    heap.gc(30);
    assert.deepEqual(heap.percents, []);
    heap.gc(70);
    assert.deepEqual(heap.percents, [20]);
    assert.equal(heap.fullGcs, 1, 'the new factor applies from a full GC: one at once');
    assert.equal(g.tightened, true);
    heap.gc(90);
    assert.equal(heap.fullGcs, 1);
    heap.gc(40);
    assert.deepEqual(heap.percents, [20, 0]);
    heap.gc(80);
    g.stop();
    assert.deepEqual(heap.percents, [20, 0, 20, 0], 'stop leaves V8 its own growth');
    heap.gc(100);
    assert.deepEqual(heap.percents, [20, 0, 20, 0], 'no reaction after stop');
    const tightened = lines.filter((l) => l.msg.startsWith('heap growth limited'));
    assert.equal(tightened.length, 2);
    assert.deepEqual(
      { live: tightened[0]?.fields.liveMiB, percent: tightened[0]?.fields.percent },
      { live: 70, percent: 20 },
    );
  });

  it('says so when no full GC could be forced', () => {
    const heap = new FakeHeap();
    heap.canCollect = false;
    const { log, lines } = capturingLog();
    governHeapGrowth({ aboveMiB: 1, percent: 20, log, control: heap });
    heap.gc(2);
    assert.equal(lines[0]?.fields.fullGcMs, null);
  });

  it('does nothing with threshold 0', () => {
    const heap = new FakeHeap();
    const g = governHeapGrowth({ aboveMiB: 0, percent: 20, log: capturingLog().log, control: heap });
    heap.gc(1000);
    assert.deepEqual(heap.percents, []);
    g.stop();
  });

  it("sees V8's full GCs and forces one through the real runtime", async () => {
    const control = v8HeapControl();
    let seen = 0;
    const stop = control.onFullGc(() => {
      seen++;
    });
    try {
      assert.ok(
        control.usedHeapBytes() > 0 && control.usedHeapBytes() <= getHeapStatistics().total_heap_size,
      );
      assert.equal(control.collectFully(), true);
      // GC entries are delivered after the GC, from the event loop
      for (let i = 0; i < 50 && seen === 0; i++) await new Promise((r) => setTimeout(r, 10));
      assert.ok(seen >= 1, 'the forced full GC was observed');
    } finally {
      stop();
      control.setGrowingPercent(0);
    }
  });
});
