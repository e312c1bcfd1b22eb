/**
 * Graceful drain of a real `palisade start` process with sipp callers and callees (issue 8 §5):
 * on SIGTERM, and on `palisade drain`, readiness turns false at once, new INVITEs (and OPTIONS to
 * the SBC, for carriers' gateway monitoring) get 503 with Retry-After, the established call's in-dialog requests still flow, and the process exits when
 * the last call ends — or at the deadline, after ending the call with BYE on both legs.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { DrainStatus } from '../../../lib/cli/drain';
import { eventually, httpGet } from '../../support/http';
import { runPalisade, startPalisade, type PalisadeProcess } from '../../support/palisade-process';
import { runSipp, startSippUas, type SippResult, type SippUas } from '../../support/sipp';
import { header, sendSipRequest } from '../../support/udp-sip-client';

function routing(calleePort: number, drainSeconds: number): string {
  return [
    `shutdown: { drainSeconds: ${drainSeconds} }`,
    'trunks:',
    '  - { name: local, inbound: { sources: [ 127.0.0.0/8 ] } }',
    `  - { name: carrier, outbound: { gateways: [ { uri: "sip:127.0.0.1:${calleePort}" } ] } }`,
    'routes:',
    '  - { from: local, to: { trunk: carrier } }',
  ].join('\n');
}

function sipPortOf(p: PalisadeProcess): number {
  const m = /port: (\d+) \} \] \}/.exec(readFileSync(p.configFile, 'utf8'));
  assert.ok(m?.[1], 'SIP port in the generated config');
  return Number(m[1]);
}

async function drainStatus(p: PalisadeProcess): Promise<DrainStatus> {
  const r = await httpGet(`${p.opsUrl}/admin/drain`);
  assert.equal(r.status, 200, r.body);
  return JSON.parse(r.body) as DrainStatus;
}

const explain = (r: SippResult): string => `${r.outcome}\n${r.errors}\n${r.output}`;

function cdrs(p: PalisadeProcess): Record<string, unknown>[] {
  return p
    .logs()
    .filter((l) => l.cdr !== undefined)
    .map((l) => l.cdr as Record<string, unknown>);
}

describe('graceful drain of a palisade process', function () {
  this.timeout(90_000);
  const procs: PalisadeProcess[] = [];
  const uas: SippUas[] = [];
  afterEach(async () => {
    for (const p of procs.splice(0)) p.child.kill('SIGKILL');
    for (const u of uas.splice(0)) await u.stop(300);
  });

  async function start(scenario: string, drainSeconds: number): Promise<{ p: PalisadeProcess; sip: number }> {
    const callee = await startSippUas({ scenario });
    uas.push(callee);
    const p = await startPalisade(routing(callee.port, drainSeconds));
    procs.push(p);
    await eventually(async () => {
      const r = await httpGet(`${p.opsUrl}/ready`);
      assert.equal(r.status, 200, `${r.body}\n${p.stderr()}`);
    }, 30_000);
    return { p, sip: sipPortOf(p) };
  }

  /** A second caller while draining: refused with 503 and a Retry-After. */
  async function assertRefused(sip: number): Promise<void> {
    const r = await runSipp({
      scenario: 'invite-uac-expect-error.xml',
      remote: { host: '127.0.0.1', port: sip },
      calls: 1,
      timeoutMs: 10_000,
    });
    assert.equal(r.outcome, 'all-succeeded', explain(r));
    const log = r.files.messages ? readFileSync(r.files.messages, 'utf8') : '';
    assert.match(log, /^SIP\/2\.0 503 /m, log);
    assert.match(log, /^Retry-After: *[1-9]\d*/im, log);
  }

  /** OPTIONS to the SBC itself: 200 in service, 503 + Retry-After while draining (gateway monitoring). */
  async function assertOptions(sip: number, draining: boolean): Promise<void> {
    const final = (await sendSipRequest(sip, 'OPTIONS')).at(-1);
    assert.equal(final?.status, draining ? 503 : 200, final?.text);
    if (draining) assert.match(header(final, 'Retry-After') ?? '', /^[1-9]\d*/, final.text);
  }

  it('on SIGTERM: not ready at once, refuses new calls, lets the call finish (with INFO), then exits 0', async () => {
    const { p, sip } = await start('invite-uas-info.xml', 60);
    const caller = runSipp({
      scenario: 'invite-uac-late-info.xml',
      remote: { host: '127.0.0.1', port: sip },
      calls: 1,
      pauseMs: 3000,
      timeoutMs: 30_000,
    });
    await eventually(async () => {
      assert.equal((await drainStatus(p)).activeCalls, 1);
    }, 10_000);
    await new Promise((r) => setTimeout(r, 500));
    await assertOptions(sip, false);
    p.child.kill('SIGTERM');
    await eventually(async () => {
      assert.equal((await httpGet(`${p.opsUrl}/ready`)).status, 503);
    }, 2000);
    const status = await drainStatus(p);
    assert.equal(status.phase, 'draining');
    assert.equal(status.callsAtStart, 1);
    await assertRefused(sip);
    await assertOptions(sip, true);
    assert.equal(p.child.exitCode, null, 'still running while the call is up');
    const r = await caller;
    assert.equal(r.outcome, 'all-succeeded', `INFO and BYE went through during the drain: ${explain(r)}`);
    const { code } = await p.exited;
    assert.equal(code, 0, p.stderr());
    const reasons = cdrs(p).map((c) => c.finalReason);
    assert.ok(!reasons.includes('drain-deadline'), JSON.stringify(reasons));
    assert.ok(
      p.logs().some((l) => l.msg === 'drained'),
      'drained logged',
    );
  });

  it('on `palisade drain --deadline`: shows progress, ends the call with BYE both legs at the deadline, exits', async () => {
    const { p, sip } = await start('invite-uas.xml', 600);
    const caller = runSipp({
      scenario: 'invite-uac-expect-bye.xml',
      remote: { host: '127.0.0.1', port: sip },
      calls: 1,
      timeoutMs: 40_000,
    });
    await eventually(async () => {
      assert.equal((await drainStatus(p)).activeCalls, 1);
    }, 10_000);
    await new Promise((r) => setTimeout(r, 500));
    const cli = runPalisade(['drain', '--ops', p.opsUrl, '--deadline', '3']);
    assert.equal((await cli.exited).code, 0, cli.stderr());
    assert.equal((JSON.parse(cli.stdout()) as DrainStatus).phase, 'draining');
    const status = await drainStatus(p);
    assert.equal(status.phase, 'draining');
    assert.equal(status.activeCalls, 1);
    assert.ok(status.secondsLeft !== null && status.secondsLeft <= 3, JSON.stringify(status));
    assert.equal((await httpGet(`${p.opsUrl}/ready`)).status, 503);
    await assertRefused(sip);
    const r = await caller;
    assert.equal(r.outcome, 'all-succeeded', `the caller got a BYE: ${explain(r)}`);
    const { code } = await p.exited;
    assert.equal(code, 0, p.stderr());
    const callee = await uas.splice(0)[0]?.stop(2000);
    assert.equal(callee?.stats.successful, 1, 'the callee got a BYE too');
    const ended = cdrs(p).find((c) => c.finalReason === 'drain-deadline');
    assert.ok(ended, `a CDR with the drain reason: ${JSON.stringify(cdrs(p))}`);
    assert.equal(ended.hangupBy, 'system');
  });
});
