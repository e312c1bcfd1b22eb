/**
 * RFC 3262 across the B2BUA with the real engine, rtpengine and sipp: a caller that supports
 * 100rel gets the callee's reliable 183 reliably (RSeq, Require: 100rel) and its PRACK answered;
 * the callee leg offers 100rel and is PRACKed with the callee's RSeq. A caller without 100rel
 * still gets the 183, unreliably, and the callee leg does not offer 100rel.
 */
import assert from 'node:assert/strict';
import { runSipp, startSippUas, type SippResult, type SippUas } from '../../support/sipp';
import { startTestSbc, type TestSbc } from '../../support/sbc';
import { assertNothingHeld, explain, messagesOf, sippMessages } from './sbc-fixture';

function message(r: SippResult, direction: 'sent' | 'received', startLine: RegExp): string {
  return (
    sippMessages(messagesOf(r)).find((m) => m.direction === direction && startLine.test(m.text))?.text ?? ''
  );
}

describe('SBC: reliable provisional responses end to end (RFC 3262)', function () {
  this.timeout(60_000);
  let sbc: TestSbc | undefined;
  let callee: SippUas | undefined;
  afterEach(async () => {
    await callee?.stop(300);
    await sbc?.stop();
    callee = undefined;
    sbc = undefined;
  });

  it('sends the callee’s reliable 183 reliably to a 100rel caller; PRACKs flow on both legs', async () => {
    callee = await startSippUas({ scenario: 'invite-uas-100rel-once.xml', calls: 1, traceMessages: true });
    sbc = await startTestSbc({ carrierPort: callee.port });
    const caller = await runSipp({
      scenario: 'sbc-uac-100rel.xml',
      remote: { host: '127.0.0.1', port: sbc.sipPort },
      calls: 1,
      pauseMs: 200,
      timeoutMs: 20_000,
      traceMessages: true,
    });
    assert.equal(caller.outcome, 'all-succeeded', explain(caller));
    const calleeResult = await callee.done;
    assert.equal(calleeResult.outcome, 'all-succeeded', explain(calleeResult));
    const ringing = message(caller, 'received', /^SIP\/2\.0 183 /);
    assert.match(ringing, /^Require:\s*100rel\s*$/im);
    assert.match(ringing, /^RSeq:\s*\d+\s*$/im);
    const finals = sippMessages(messagesOf(caller))
      .filter((m) => m.direction === 'received' && m.text.startsWith('SIP/2.0 200 '))
      .map((m) => /^CSeq:\s*\d+ (\w+)/m.exec(m.text)?.[1]);
    // RFC 3262 §3: the 183 carried SDP, so the INVITE's 200 waits for the PRACK (and its 200).
    assert.deepEqual(finals.slice(0, 2), ['PRACK', 'INVITE']);
    const invite = message(calleeResult, 'received', /^INVITE /);
    assert.match(invite, /^Supported:\s*100rel\s*$/im);
    assert.match(message(calleeResult, 'received', /^PRACK /), /^RAck:\s*7 \d+ INVITE\s*$/im);
    await assertNothingHeld(sbc);
  });

  it('relays the 183 unreliably to a caller without 100rel (the SBC PRACKs the callee itself)', async () => {
    callee = await startSippUas({ scenario: 'invite-uas-100rel-once.xml', calls: 1, traceMessages: true });
    sbc = await startTestSbc({ carrierPort: callee.port });
    const caller = await runSipp({
      scenario: 'invite-uac.xml',
      remote: { host: '127.0.0.1', port: sbc.sipPort },
      calls: 1,
      pauseMs: 200,
      timeoutMs: 20_000,
      traceMessages: true,
    });
    assert.equal(caller.outcome, 'all-succeeded', explain(caller));
    const calleeResult = await callee.done;
    assert.equal(calleeResult.outcome, 'all-succeeded', explain(calleeResult));
    const ringing = message(caller, 'received', /^SIP\/2\.0 183 /);
    assert.notEqual(ringing, '', 'the caller got the 183');
    assert.doesNotMatch(ringing, /^(Require:.*100rel|RSeq:)/im);
    assert.doesNotMatch(message(calleeResult, 'received', /^INVITE /), /^(Supported|Require):.*100rel/im);
    await assertNothingHeld(sbc);
  });
});
