/**
 * Bounded, seeded fuzzing of the SIP parser over the torture corpus and typical messages:
 * ~100 000 mutated inputs. Asserts: no exception other than the typed SipParseError escapes,
 * valid results keep working through accessors and serialization (and re-parse), no single
 * message takes more than 50 ms, and the heap returns near its baseline afterwards.
 * Reproduce a failure with FUZZ_SEED=<seed printed below>.
 */
import { strict as assert } from 'node:assert';
import {
  type SipRequest,
  type SipResponse,
  SipParseError,
  errorResponse,
  parseMessage,
  validateMessage,
} from '../../lib/sip';
import { loadManifest, readFile } from './corpus';
import { MUTATORS, MUTATOR_NAMES, prng } from './fuzz-mutators';
import { SAMPLES } from './sample-messages';

const ITERATIONS = 100_000;
const MAX_MS_PER_MESSAGE = 50;
const OPTS = { limits: { maxMessageBytes: 100_000 } };

function exercise(msg: SipRequest | SipResponse): void {
  msg.via();
  msg.from();
  msg.to();
  msg.cseq();
  msg.contact();
  msg.maxForwards();
  if (msg.kind === 'request') msg.requestUri();
  const again = parseMessage(msg.toBuffer(), { ...OPTS, datagram: true });
  assert.ok(again.ok, 'a valid message must re-parse after serialization');
  msg.setHeader('X-Fuzz', 'edited');
  msg.removeHeader('Route');
  const edited = parseMessage(msg.toBuffer(), { ...OPTS, datagram: true });
  assert.ok(edited.ok, 'an edited valid message must re-parse');
}

function feed(input: Buffer, datagram: boolean): void {
  const r = parseMessage(input, { ...OPTS, datagram });
  if (!r.ok) {
    assert.ok(r.error instanceof SipParseError);
    errorResponse(r.error);
    return;
  }
  const bad = validateMessage(r.value);
  if (bad === undefined) exercise(r.value);
  else errorResponse(bad);
}

describe('SIP parser fuzzing', function () {
  this.timeout(60_000);

  it(`survives ${ITERATIONS} seeded mutations of the torture and sample corpora`, () => {
    const seedEnv = process.env.FUZZ_SEED;
    const seed = seedEnv === undefined ? Date.now() % 2 ** 31 : Number(seedEnv);
    console.log(`      fuzz seed ${seed} (rerun with FUZZ_SEED=${seed})`);
    const rand = prng(seed);
    const corpus = [...loadManifest().map((e) => readFile(e.file)), ...SAMPLES.map((s) => s.bytes)];
    const gc = (globalThis as { gc?: () => void }).gc;
    gc?.();
    const baseline = process.memoryUsage().heapUsed;
    let maxMs = 0;
    let slowest = '';
    const t0 = performance.now();
    for (let i = 0; i < ITERATIONS; i++) {
      const base = corpus[Math.floor(rand() * corpus.length)]!;
      let input = base;
      const rounds = 1 + Math.floor(rand() * 3);
      const names: string[] = [];
      for (let k = 0; k < rounds; k++) {
        const name = MUTATOR_NAMES[Math.floor(rand() * MUTATOR_NAMES.length)]!;
        names.push(name);
        input = MUTATORS[name]!(input, rand);
      }
      const start = performance.now();
      try {
        feed(input, (i & 1) === 0);
      } catch (e) {
        const hex = input.subarray(0, 200).toString('hex');
        throw new Error(`iteration ${i} (seed ${seed}, ${names.join('+')}) threw; input[0..200]=${hex}`, {
          cause: e,
        });
      }
      let ms = performance.now() - start;
      // Separate a real slow path (slow on every run) from a GC pause, a JIT (de)optimisation or
      // the CPU being taken by another process (slow once): the best of up to five runs counts.
      for (let retry = 0; retry < 4 && ms > 5; retry++) {
        const again = performance.now();
        feed(input, (i & 1) === 0);
        ms = Math.min(ms, performance.now() - again);
      }
      if (ms > maxMs) {
        maxMs = ms;
        slowest = `${names.join('+')} (${input.length} bytes)`;
      }
    }
    const total = performance.now() - t0;
    gc?.();
    const grownMb = (process.memoryUsage().heapUsed - baseline) / 2 ** 20;
    console.log(
      `      ${ITERATIONS} inputs in ${total.toFixed(0)} ms; slowest ${maxMs.toFixed(2)} ms: ${slowest}; ` +
        `heap ${grownMb >= 0 ? '+' : ''}${grownMb.toFixed(1)} MiB${gc ? ' after gc' : ' (no --expose-gc)'}`,
    );
    assert.ok(maxMs < MAX_MS_PER_MESSAGE, `slowest message took ${maxMs.toFixed(1)} ms`);
    assert.ok(grownMb < (gc ? 32 : 256), `heap grew by ${grownMb.toFixed(1)} MiB`);
  });
});
