/**
 * Shared pieces of the SBC call-core tests: a running SBC with its sipp peers torn down after each
 * test, readiness waits, the "nothing left behind" check (engine dialogs and app transactions, the
 * B2BUA's call records, /ready), and reading sipp's message logs.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { eventually, httpGet } from '../../support/http';
import { engineHolds } from '../../support/engine-holds';
import type { SippResult, SippUas } from '../../support/sipp';
import type { TestSbc } from '../../support/sbc';
import type { CdrRecord } from '../../../lib/observe/cdr';

export function explain(r: SippResult): string {
  return `exit ${r.exitCode} (${r.outcome})\n${r.errors}\n${r.output}\nargv: ${r.argv.join(' ')}`;
}

/** The SBC's own log lines of interest (with `capture: true`), for failure messages. */
export function sbcLog(sbc: TestSbc): string {
  return sbc.logs
    .filter((l) => l.level !== 'trace' && l.level !== 'debug')
    .map((l) => `${l.level} ${l.msg} ${JSON.stringify(l.fields)}`)
    .join('\n');
}

/** The message log of a sipp run ('' when it was not traced). */
export function messagesOf(r: SippResult): string {
  return r.files.messages === undefined ? '' : readFileSync(r.files.messages, 'utf8');
}

export interface SippMessage {
  direction: 'sent' | 'received';
  text: string;
}

/** The messages of a sipp message log, each with its direction. */
export function sippMessages(log: string): SippMessage[] {
  return log
    .split(/^-{10,}.*$/m)
    .map((block) => /^\s*\S+ message (sent|received)[^\n]*\n([\s\S]*)$/.exec(block))
    .flatMap((m) =>
      m ? [{ direction: m[1] as SippMessage['direction'], text: (m[2] ?? '').replace(/^\s+/, '') }] : [],
    );
}

/** Received requests of a method (or responses with a status) in a sipp message log. */
export function received(log: string, start: string): string[] {
  return sippMessages(log)
    .filter((m) => m.direction === 'received' && m.text.startsWith(start))
    .map((m) => m.text);
}

/** Status lines of the responses sipp received or sent, in order. */
export function statusesIn(log: string): number[] {
  return [...log.matchAll(/^SIP\/2\.0 (\d{3}) /gm)].map((m) => Number(m[1]));
}

export async function waitReady(sbc: TestSbc, expected = 200): Promise<void> {
  await eventually(async () => {
    const r = await httpGet(`${sbc.opsUrl}/ready`);
    assert.equal(r.status, expected, r.body);
  });
}

/** The SBC's first CDR once it is written (`what`: the failure message, or made at each check). */
export function firstCdr(
  sbc: TestSbc,
  what: string | (() => string) = 'one CDR',
  timeoutMs?: number,
): Promise<CdrRecord> {
  return eventually(() => {
    const found = sbc.cdrs()[0];
    assert.ok(found, typeof what === 'string' ? what : what());
    return found;
  }, timeoutMs);
}

/** Once the calls are over: no dialog or app transaction left in the engine, and still ready. */
export async function assertNothingHeld(sbc: TestSbc): Promise<void> {
  const engine = sbc.internals.engine;
  assert.ok(engine, 'the runtime probe captured the engine');
  await eventually(() => {
    assert.deepEqual(engineHolds(engine), { dialogs: 0, appServerTxns: 0, appClientTxns: 0 });
  }, 8000);
  await waitReady(sbc);
}

/** A per-test holder of the SBC and sipp UASs, stopped in reverse order. */
export class Peers {
  sbc: TestSbc | undefined;
  readonly uas: SippUas[] = [];

  add(u: SippUas): SippUas {
    this.uas.push(u);
    return u;
  }

  async stop(): Promise<void> {
    for (const u of this.uas.splice(0)) await u.stop(300);
    await this.sbc?.stop();
    this.sbc = undefined;
  }
}
