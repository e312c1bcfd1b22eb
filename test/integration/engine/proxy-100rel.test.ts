/**
 * Reliable provisional responses through `srf.proxyRequest` (RFC 3262 with RFC 3261 §16): a
 * stateful proxy is transparent to 100rel — the callee's reliable 183 (RSeq, Require: 100rel) goes
 * upstream unchanged, and the caller's PRACK, sent on the early dialog's route
 * set (our Record-Route), is relayed to the callee; RAck and RSeq match end to end. (Without
 * Record-Route the PRACK bypasses us; sipp cannot send to a Request-URI's host, so that is untested.)
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { runSipp, startSippUas, type SippResult, type SippUas } from '../../support/sipp';
import { startTestEngine, type TestEngine } from '../../support/engine';

const messages = (r: SippResult): string => (r.files.messages ? readFileSync(r.files.messages, 'utf8') : '');

describe('srf.proxyRequest with a reliable 183 (RFC 3262 through a proxy)', function () {
  this.timeout(60_000);
  let t: TestEngine;
  const uases: SippUas[] = [];
  beforeEach(async () => {
    t = await startTestEngine(undefined, { maxEventLoopDelayMs: 0 });
  });
  afterEach(async () => {
    for (const u of uases.splice(0)) await u.stop(500);
    await t.close();
  });

  it('relays the 183 with its RSeq and the caller’s PRACK on our Record-Route', async () => {
    const callee = await startSippUas({
      scenario: 'invite-uas-100rel-rr.xml',
      calls: 1,
      traceMessages: true,
    });
    uases.push(callee);
    await t.connectApp((srf) => {
      srf.invite((req) => {
        srf.proxyRequest(
          req,
          [`sip:callee@127.0.0.1:${callee.port}`],
          { remainInDialog: true },
          () => undefined,
        );
      });
    });
    const caller = await runSipp({
      scenario: 'invite-uac-100rel-routed.xml',
      remote: { host: '127.0.0.1', port: t.sipPort },
      calls: 1,
      pauseMs: 200,
      timeoutMs: 15_000,
      traceMessages: true,
    });
    assert.equal(caller.outcome, 'all-succeeded', caller.output + caller.errors);
    const calleeResult = await callee.done;
    assert.equal(calleeResult.outcome, 'all-succeeded', calleeResult.output + calleeResult.errors);
    assert.match(messages(caller), /^RSeq: 7\s*$/m, 'the callee’s RSeq reaches the caller unchanged');
    const log = messages(calleeResult);
    const prack = log.slice(log.indexOf('PRACK sip:'));
    const head = prack.slice(0, prack.indexOf('\n\n') < 0 ? undefined : prack.indexOf('\n\n'));
    assert.match(head, /^RAck: 7 \d+ INVITE\s*$/m);
    assert.equal((head.match(/^Via:/gm) ?? []).length, 2, 'the PRACK came through us (our Via on it)');
  });
});
