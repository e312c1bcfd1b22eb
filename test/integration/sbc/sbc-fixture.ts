/**
 * Shared pieces of the SBC call-core tests: a running SBC with its sipp peers torn down after each
 * test, readiness waits, the "nothing left behind" check (engine dialogs and app transactions, the
 * B2BUA's call records, /ready), reading sipp's message logs, and the usual call: a sipp callee on
 * its own RTP ports, the SBC routing to it, a sipp caller.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { eventually, httpGet } from '../../support/http';
import { runSipp, startSippUas, type SippOptions, type SippResult, type SippUas } from '../../support/sipp';
import { freeRtpPortPair } from '../../support/sipp-rtp';
import { startTestSbc, type TestSbc } from '../../support/sbc';
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
  const snapshot = sbc.internals.engineSnapshot;
  assert.ok(snapshot, 'the runtime embeds the engine');
  await eventually(async () => {
    const s = await snapshot();
    assert.deepEqual(
      { dialogs: s.dialogs, appServerTxns: s.pendingServers, appClientTxns: s.pendingClients },
      { dialogs: 0, appServerTxns: 0, appClientTxns: 0 },
    );
  }, 8000);
  await waitReady(sbc);
}

/** The port of the first `m=audio` line of a SIP message (NaN without one). */
export const audioPort = (msg: string): number => Number(/^m=audio (\d+)/m.exec(msg)?.[1]);

/** The callee's result: as it ends by itself, or stopped at once when the caller already failed. */
export function settle(caller: SippResult, callee: SippUas): Promise<SippResult> {
  return caller.outcome === 'all-succeeded' ? callee.done : callee.stop(300);
}

/** Shortens the engine's RFC 4028 "second" to `ms` (the engine must run in the test's thread). */
export function shortenSeconds(sbc: TestSbc, ms: number): void {
  const engine = sbc.internals.engine;
  assert.ok(engine, 'embedded engine in this thread (engine.thread: main)');
  engine.state.sessionTimer.msPerSecond = ms;
}

/** The default routing with the carrier trunk's `outbound.sessionTimer` (a YAML flow mapping). */
export const carrierWithTimer = (port: number, sessionTimer: string): string =>
  [
    'trunks:',
    '  - { name: local, inbound: { sources: [ 127.0.0.0/8 ] } }',
    `  - { name: carrier, outbound: { gateways: [ { uri: "sip:127.0.0.1:${port}" } ], sessionTimer: ${sessionTimer} } }`,
    'routes:',
    '  - { from: local, to: { trunk: carrier } }',
  ].join('\n');

/** A sipp caller of one call to the SBC, on its own RTP ports unless `opts` names them. */
export async function callSbc(
  sbc: TestSbc,
  scenario: string,
  opts: Partial<SippOptions> = {},
): Promise<SippResult> {
  return runSipp({
    scenario,
    remote: { host: '127.0.0.1', port: sbc.sipPort },
    calls: 1,
    mediaPort: opts.mediaPort ?? (await freeRtpPortPair()),
    ...opts,
  });
}

type SbcOptions = Omit<Parameters<typeof startTestSbc>[0], 'carrierPort'>;

/** A per-test holder of the SBC and sipp UASs, stopped in reverse order. */
export class Peers {
  sbc: TestSbc | undefined;
  readonly uas: SippUas[] = [];

  add(u: SippUas): SippUas {
    this.uas.push(u);
    return u;
  }

  /** A sipp callee for one call, on its own RTP ports unless `opts` names them. */
  async callee(scenario: string, opts: Partial<SippOptions> = {}): Promise<SippUas> {
    const mediaPort = opts.mediaPort ?? (await freeRtpPortPair());
    return this.add(await startSippUas({ scenario, calls: 1, mediaPort, ...opts }));
  }

  /** A sipp carrier answering any number of calls and echoing their RTP (rtp-uas-echo.xml). */
  async echoCarrier(): Promise<SippUas> {
    return this.add(
      await startSippUas({ scenario: 'rtp-uas-echo.xml', mediaPort: await freeRtpPortPair(), rtpEcho: true }),
    );
  }

  /** The SBC (logs captured) routing to `callee`, ready; `msPerSecond` shortens its timers. */
  async sbcTo(callee: SippUas, opts: SbcOptions & { msPerSecond?: number } = {}): Promise<TestSbc> {
    const { msPerSecond, ...rest } = opts;
    if (msPerSecond !== undefined)
      rest.engineYaml = ['thread: main', ...(rest.engineYaml === undefined ? [] : [rest.engineYaml])].join(
        ', ',
      );
    const sbc = (this.sbc = await startTestSbc({ carrierPort: callee.port, capture: true, ...rest }));
    if (msPerSecond !== undefined) shortenSeconds(sbc, msPerSecond);
    await waitReady(sbc);
    return sbc;
  }

  async stop(): Promise<void> {
    for (const u of this.uas.splice(0)) await u.stop(300);
    await this.sbc?.stop();
    this.sbc = undefined;
  }
}
