import assert from 'node:assert/strict';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CdrFileWriter, type CdrFileWriterOptions } from '../../../lib/observe/cdr-file-writer';
import type { Log } from '../../../lib/util/logger';
import { sampleCdr } from './cdr-sample';

const lineBytes = Buffer.byteLength(`${JSON.stringify(sampleCdr('call-0'))}\n`);

function capturingLog(messages: string[]): Log {
  const fn = (obj: object | string, msg?: string) =>
    messages.push(typeof obj === 'string' ? obj : (msg ?? ''));
  const log: Log = { trace: fn, debug: fn, info: fn, warn: fn, error: fn, fatal: fn, child: () => log };
  return log;
}

const callIds = (file: string): string[] =>
  readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => (JSON.parse(l) as { callId: string }).callId);

describe('CdrFileWriter', () => {
  let dir: string;
  let file: string;
  let messages: string[];
  let counted: number;
  const writer = (o: Partial<CdrFileWriterOptions> = {}) =>
    new CdrFileWriter({
      path: file,
      maxBytes: 1_000_000,
      keep: 3,
      log: capturingLog(messages),
      errors: { cdrWriteFailed: (_sink, n = 1) => (counted += n) },
      ...o,
    });

  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'palisade-cdr-'));
    file = path.join(dir, 'cdr.jsonl');
    messages = [];
    counted = 0;
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('appends one JSON line per record, without waiting on the disk in write()', async () => {
    const w = writer();
    for (let i = 0; i < 5; i++) w.write(sampleCdr(`call-${i}`));
    assert.equal(w.stats.written, 0, 'write() only queues');
    await w.flush();
    w.write(sampleCdr('call-5'));
    await w.close();
    assert.deepEqual(callIds(file), ['call-0', 'call-1', 'call-2', 'call-3', 'call-4', 'call-5']);
    assert.deepEqual(JSON.parse(readFileSync(file, 'utf8').split('\n')[0]!), sampleCdr('call-0'));
    assert.deepEqual(w.stats, { written: 6, dropped: 0, ioErrors: 0, rotations: 0 });
  });

  it('rotates by size and keeps only `keep` rotated files', async () => {
    const w = writer({ maxBytes: Math.floor(lineBytes * 2.5), keep: 2 });
    for (let i = 1; i <= 4; i++) w.write(sampleCdr(`call-${i}`));
    await w.flush();
    for (let i = 5; i <= 7; i++) w.write(sampleCdr(`call-${i}`));
    await w.close();
    assert.deepEqual(readdirSync(dir).sort(), ['cdr.jsonl', 'cdr.jsonl.1', 'cdr.jsonl.2']);
    assert.deepEqual(callIds(file), ['call-7']);
    assert.deepEqual(callIds(`${file}.1`), ['call-5', 'call-6']);
    assert.deepEqual(callIds(`${file}.2`), ['call-3', 'call-4']);
    assert.equal(w.stats.rotations, 3);
    assert.equal(counted, 0);
  });

  it('deletes the full file when keep is 0, and rotates a file already over size at start', async () => {
    writeFileSync(file, 'x'.repeat(lineBytes * 3));
    const w = writer({ maxBytes: lineBytes * 2, keep: 0 });
    w.write(sampleCdr('call-1'));
    await w.close();
    assert.deepEqual(readdirSync(dir), ['cdr.jsonl']);
    assert.deepEqual(callIds(file), ['call-1']);
  });

  it('logs and counts lost records when the disk fails, never throws, and recovers', async () => {
    file = path.join(dir, 'missing', 'cdr.jsonl');
    const w = writer();
    w.write(sampleCdr('lost-1'));
    await w.flush();
    w.write(sampleCdr('lost-2'));
    await w.flush();
    assert.equal(counted, 2);
    assert.deepEqual(w.stats, { written: 0, dropped: 2, ioErrors: 2, rotations: 0 });
    assert.deepEqual(messages, ['cdr: records could not be written'], 'logged once per outage');
    mkdirSync(path.join(dir, 'missing'));
    w.write(sampleCdr('kept'));
    await w.close();
    assert.deepEqual(callIds(file), ['kept']);
    assert.deepEqual(messages.slice(1), ['cdr: writing records again']);
  });

  it('keeps appending (no record lost) when rotation fails, and retries a window later', async () => {
    mkdirSync(`${file}.1`);
    writeFileSync(path.join(`${file}.1`, 'occupied'), '');
    const w = writer({ maxBytes: Math.floor(lineBytes * 1.5), keep: 1 });
    for (let i = 1; i <= 3; i++) w.write(sampleCdr(`call-${i}`));
    await w.close();
    assert.deepEqual(callIds(file), ['call-1', 'call-2', 'call-3']);
    assert.equal(counted, 0);
    assert.equal(w.stats.ioErrors, 2, 'one failed rotation per window, not per record');
    assert.ok(messages.includes('cdr: rotation failed, appending to the current file'));
  });

  it('drops and counts records beyond maxQueue and after close', async () => {
    const w = writer({ maxQueue: 2 });
    for (let i = 0; i < 5; i++) w.write(sampleCdr(`call-${i}`));
    await w.close();
    w.write(sampleCdr('late'));
    assert.equal(w.stats.written, 3);
    assert.equal(w.stats.dropped, 3);
    assert.equal(counted, 3);
    assert.ok(existsSync(file));
  });
});
