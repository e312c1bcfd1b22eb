/**
 * OwnStrings: copies that let the strings they were cut from go. Measured on the heap (mocha runs
 * with --expose-gc): substrings of large strings, once copied, no longer keep them alive.
 */
import assert from 'node:assert/strict';
import { OwnStrings, ownString } from '../../../lib/util/own-string';

const gc = (globalThis as { gc?: () => void }).gc;
const PARENTS = 40;
const PARENT_CHARS = 256 * 1024;

/** Substrings (V8 slices) of PARENTS distinct large strings, nothing else keeping those alive. */
function slicesOfLargeStrings(): string[] {
  const out: string[] = [];
  for (let i = 0; i < PARENTS; i++) {
    const parent = `${String(i).padStart(4, '0')}${'x'.repeat(PARENT_CHARS)}`;
    out.push(parent.slice(0, 40));
  }
  return out;
}

function heapAfterGc(): number {
  if (!gc) throw new Error('run mocha with --expose-gc (.mocharc.json)');
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

let sink: unknown;

/** Heap (MiB) the large strings still take once `settle` has run on what `build` made of their slices. */
function retainedMiB(build: (slices: string[]) => unknown, settle: (held: unknown) => void): number {
  const base = heapAfterGc();
  sink = build(slicesOfLargeStrings());
  settle(sink);
  const after = heapAfterGc();
  sink = undefined;
  return (after - base) / 2 ** 20;
}

class Holder {
  constructor(readonly text: string) {}
}

describe('own strings', () => {
  const total = (PARENTS * PARENT_CHARS) / 2 ** 20;

  it('slices keep their large parents alive (the problem this solves)', () => {
    const retained = retainedMiB(
      (list) => ({ list }),
      () => undefined,
    );
    assert.ok(retained > total * 0.8, `${retained.toFixed(1)} MiB held of ${total} MiB`);
  });

  it('OwnStrings.deep copies the strings of plain objects and arrays: the parents can go', () => {
    const retained = retainedMiB(
      (list) => ({ nested: { list } }),
      (held) => {
        new OwnStrings().deep(held); // (its memo of originals must not outlive the copying)
      },
    );
    assert.ok(retained < total * 0.1, `${retained.toFixed(1)} MiB still held of ${total} MiB`);
  });

  it('OwnStrings.deep leaves class instances alone', () => {
    const retained = retainedMiB(
      (list) => ({ list: list.map((text) => new Holder(text)) }),
      (held) => {
        new OwnStrings().deep(held);
      },
    );
    assert.ok(retained > total * 0.8, `${retained.toFixed(1)} MiB held of ${total} MiB`);
  });

  it('short values that repeat across calls end up as one shared copy', () => {
    const COUNT = 50_000;
    // each value its own heap string, as a parser cuts them from each message
    const source = Buffer.from('udp network 127.0.0.1');
    const fresh = (): Record<string, string> => ({
      protocol: source.toString('latin1', 0, 3),
      source: source.toString('latin1', 4, 11),
      address: source.toString('latin1', 12),
    });
    const heldMiB = (settle: (o: Record<string, string>) => void): number => {
      const base = heapAfterGc();
      const list = Array.from({ length: COUNT }, fresh);
      for (const o of list) settle(o);
      const after = heapAfterGc();
      sink = list;
      sink = undefined;
      return (after - base) / 2 ** 20;
    };
    const kept = heldMiB(() => undefined);
    const shared = heldMiB((o) => {
      new OwnStrings().fields(o);
    });
    // three strings of 24–32 bytes per object less
    assert.ok(kept - shared > (COUNT * 3 * 20) / 2 ** 20, `${kept.toFixed(2)} vs ${shared.toFixed(2)} MiB`);
    const o = fresh();
    new OwnStrings().fields(o);
    assert.deepEqual(o, { protocol: 'udp', source: 'network', address: '127.0.0.1' });
  });

  it('copies equal the originals; short strings come back as they are', () => {
    const own = new OwnStrings();
    const long = `${'y'.repeat(100)}${'z'.repeat(100)}`.slice(50, 150);
    assert.equal(own.of(long), long);
    assert.equal(ownString(long), long);
    assert.equal(own.of('short'), 'short');
    const o: Record<string, unknown> = { a: long, n: 3, nested: [long, { b: long }] };
    own.deep(o);
    assert.deepEqual(o, { a: long, n: 3, nested: [long, { b: long }] });
    const fields: Record<string, unknown> = { a: long, b: long, c: 1 };
    own.fields(fields, ['a']);
    assert.deepEqual(fields, { a: long, b: long, c: 1 });
  });
});
