/**
 * Hidden classes (V8 "maps") made by object literals with spreads, on this Node. For each pattern
 * `--count` objects are made in a loop (hot enough to be optimised) and compared with
 * %HaveSameMap: the share that has the map of the object made just before, and the number of
 * distinct maps (counted up to --cap). A pattern that makes one map per object shows
 * "distinct ≥ cap"; with --expose-gc also the heap kept per object while all are held.
 *
 * First generic patterns (which literal shapes are fine), then the per-call builders of lib/media,
 * lib/sbc and lib/engine that were rewritten with fixed-shape literals, as they are now. To see
 * them before a change, copy dist/bench/hidden-classes.js into an older build's dist/bench/.
 *
 *   node --allow-natives-syntax --expose-gc dist/bench/hidden-classes.js [--count 20000] [--cap 200]
 */
import { parseArgs } from 'node:util';
import { answerFlags, offerFlags } from '../lib/media/ng-flags';
import type { LegMediaProfile } from '../lib/media/leg-profile';
import { initialState, transition, type KeepalivePolicy } from '../lib/sbc/nat/keepalive/keepalive-machine';
import { compactDialog } from '../lib/engine/core/compact';
import type { Dialog } from '../lib/sip/dialog';

type Same = (a: object, b: object) => boolean;

function haveSameMap(): Same {
  try {
    // Natives syntax is not TypeScript: compile it at run time.
    // eslint-disable-next-line @typescript-eslint/no-implied-eval
    return new Function('a', 'b', 'return %HaveSameMap(a, b)') as Same;
  } catch {
    console.error('run with node --allow-natives-syntax dist/bench/hidden-classes.js');
    process.exit(2);
  }
}

const { values } = parseArgs({
  options: { count: { type: 'string', default: '20000' }, cap: { type: 'string', default: '200' } },
});
const COUNT = Number(values.count);
const CAP = Number(values.cap);
const same = haveSameMap();
const gc = (globalThis as { gc?: () => void }).gc;

interface Row {
  pattern: string;
  sameAsPrevious: string;
  distinctMaps: string;
  bytesPerObject: string;
}

function heapUsed(): number {
  gc?.();
  return process.memoryUsage().heapUsed;
}

function measure(pattern: string, make: (i: number) => object): Row {
  for (let i = 0; i < COUNT; i++) make(i); // warm-up: optimised code from here on
  const before = heapUsed();
  const kept: object[] = [];
  const reps: object[] = [];
  let sameCount = 0;
  for (let i = 0; i < COUNT; i++) {
    const o = make(i);
    const last = kept[kept.length - 1];
    if (last !== undefined && same(o, last)) sameCount++;
    if (reps.length < CAP && !reps.some((r) => same(r, o))) reps.push(o);
    kept.push(o);
  }
  const bytes = gc ? ((heapUsed() - before) / COUNT).toFixed(0) : 'n/a (--expose-gc)';
  return {
    pattern,
    sameAsPrevious: `${((100 * sameCount) / (COUNT - 1)).toFixed(1)} %`,
    distinctMaps: reps.length >= CAP ? `≥ ${CAP}` : String(reps.length),
    bytesPerObject: kept.length > 0 ? bytes : '',
  };
}

// Sources made in another function, as on the call path (a parsed message, a profile, a record).
const source = (i: number): { a: number; b: string; c: number | undefined } => ({
  a: i,
  b: 'x',
  c: undefined,
});
const headers = (i: number): Record<string, string> => ({ From: `<sip:${i}@a>`, To: '<sip:b@a>' });

const generic: [string, (i: number) => object][] = [
  ['{ ...t }', (i) => ({ ...source(i) })],
  ['{ ...t, a: x }  (a on t: override)', (i) => ({ ...source(i), a: i + 1 })],
  ['{ ...t, c: x }  (c on t as undefined)', (i) => ({ ...source(i), c: i })],
  ['{ n: x, ...t }  (new key first)', (i) => ({ n: i, ...source(i) })],
  ['{ k: 1, ...t, n: x }  (key, spread, new key)', (i) => ({ k: 1, ...source(i), n: i })],
  ['{ ...t, n: x }  (new key after spread)', (i) => ({ ...source(i), n: i })],
  ['{ ...a, ...b }  (b adds keys)', (i) => ({ ...headers(i), ...{ 'X-Peer': 'p' } })],
  [
    'o = { ...t }; o.n = x',
    (i) => {
      const o: Record<string, unknown> = { ...source(i) };
      o.n = i;
      return o;
    },
  ],
  ['Object.assign({}, a, b)', (i) => Object.assign({}, headers(i), { 'X-Peer': 'p' })],
  ['fixed literal { a, b, c, n }', (i) => ({ a: i, b: 'x', c: undefined, n: i })],
];

const caller: LegMediaProfile = { kind: 'customer-nat', tag: 'caller-tag', sipSource: '192.0.2.1' };
const callee: LegMediaProfile = { kind: 'carrier', tag: '' };
const policy: KeepalivePolicy = {
  mode: 'adaptive',
  startMs: 15_000,
  minMs: 5_000,
  maxMs: 120_000,
  growth: 1.5,
  fallback: 0.8,
  reprobeAfter: 40,
  maxMissed: 6,
};
const dialog = (i: number): Dialog => ({
  id: { callId: `c${i}`, localTag: `l${i}`, remoteTag: `r${i}` },
  role: 'uas',
  state: 'confirmed',
  localSeq: undefined,
  remoteSeq: 1,
  inviteSeq: undefined,
  localUri: '<sip:a@192.0.2.1>',
  remoteUri: '<sip:b@192.0.2.2>',
  remoteTarget: 'sip:b@192.0.2.2:5060',
  routeSet: [],
  localContact: 'sip:a@192.0.2.1:5060',
  secure: false,
  terminationReason: undefined,
});

const builders: [string, (i: number) => object][] = [
  ['media offerFlags', (i) => offerFlags(caller, callee, { callId: `c${i}`, sdp: 'v=0' })],
  [
    'media answerFlags',
    (i) => answerFlags({ kind: 'carrier', tag: `t${i}` }, caller, { callId: `c${i}`, sdp: 'v=0' }),
  ],
  ['keepalive initialState', () => initialState(policy)],
  [
    'keepalive transition(answered)',
    () => transition(policy, initialState(policy), { type: 'answered' }).state,
  ],
  ['engine compactDialog', (i) => compactDialog(dialog(i))],
];

console.log(`Node ${process.version}, V8 ${process.versions.v8}; ${COUNT} objects per pattern`);
console.log('\ngeneric patterns');
console.table(generic.map(([name, make]) => measure(name, make)));
console.log('Palisade builders (of the build this file sits in)');
console.table(builders.map(([name, make]) => measure(name, make)));
