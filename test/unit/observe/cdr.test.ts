import assert from 'node:assert/strict';
import { LogCdrWriter, MultiCdrWriter, cdrTiming, type CdrWriter } from '../../../lib/observe/cdr';
import { sampleCdr } from './cdr-sample';
import type { Log } from '../../../lib/util/logger';

/** A Log that records what it was given. */
function recordingLog(
  entries: { obj: unknown; msg?: string; bindings: object }[],
  bindings: object = {},
): Log {
  const fn = (obj: object | string, msg?: string) => {
    entries.push(typeof obj === 'string' ? { obj: {}, msg: obj, bindings } : { obj, msg, bindings });
  };
  return {
    trace: fn,
    debug: fn,
    info: fn,
    warn: fn,
    error: fn,
    fatal: fn,
    child: (b) => recordingLog(entries, { ...bindings, ...b }),
  };
}

describe('CDR records and the log writer', () => {
  it('derives ISO timestamps, PDD and duration from the moments of a call', () => {
    const r = sampleCdr();
    assert.equal(r.attemptAt, '2025-01-01T00:00:00.000Z');
    assert.equal(r.ringAt, '2025-01-01T00:00:01.200Z');
    assert.equal(r.answerAt, '2025-01-01T00:00:05.000Z');
    assert.equal(r.endAt, '2025-01-01T00:01:05.400Z');
    assert.equal(r.pddMs, 1200);
    assert.equal(r.durationSeconds, 60);
  });

  it('uses the answer for PDD without ringing, and null/0 for a call never answered', () => {
    assert.equal(cdrTiming({ attempt: 1000, answer: 1800, end: 5000 }).pddMs, 800);
    assert.deepEqual(cdrTiming({ attempt: 1000, end: 31_000 }), {
      attemptAt: new Date(1000).toISOString(),
      ringAt: null,
      answerAt: null,
      endAt: new Date(31_000).toISOString(),
      pddMs: null,
      durationSeconds: 0,
    });
  });

  it('writes one info line per record with the record under "cdr"', async () => {
    const entries: { obj: unknown; msg?: string; bindings: object }[] = [];
    const w = new LogCdrWriter(recordingLog(entries));
    w.write(sampleCdr());
    await w.close();
    assert.equal(entries.length, 1);
    assert.deepEqual(entries[0], { obj: { cdr: sampleCdr() }, msg: 'cdr', bindings: { component: 'cdr' } });
  });

  it('counts, never throws, when the logger fails', () => {
    const failing: Log = {
      ...recordingLog([]),
      info: () => {
        throw new Error('EPIPE');
      },
    };
    failing.child = () => failing;
    const counted: string[] = [];
    const w = new LogCdrWriter(failing, { cdrWriteFailed: (sink) => counted.push(sink) });
    assert.doesNotThrow(() => {
      w.write(sampleCdr());
    });
    assert.deepEqual(counted, ['log']);
    assert.equal(w.lastError?.message, 'EPIPE');
  });

  it('fans records out to every sink', async () => {
    const seen: string[] = [];
    const sink = (name: string): CdrWriter => ({
      write: (r) => seen.push(`${name}:${r.callId}`),
      close: () => Promise.resolve(),
    });
    const w = new MultiCdrWriter([sink('a'), sink('b')]);
    w.write(sampleCdr('x'));
    await w.close();
    assert.deepEqual(seen, ['a:x', 'b:x']);
  });
});
