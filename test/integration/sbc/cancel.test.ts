/**
 * CANCEL through the SBC (RFC 3261 §9): a caller cancelling a ringing call, and a callee whose
 * 200 OK crosses the SBC's CANCEL (the SBC must ACK and BYE that answer while the caller gets 487).
 * Either way nothing is left behind: no engine dialog or transaction, the SBC still ready.
 */
import assert from 'node:assert/strict';
import { runSipp, startSippUas } from '../../support/sipp';
import { startTestSbc } from '../../support/sbc';
import { assertNothingHeld, explain, firstCdr, messagesOf, Peers, received, waitReady } from './sbc-fixture';

describe('SBC CANCEL handling', function () {
  this.timeout(30_000);
  const peers = new Peers();
  afterEach(() => peers.stop());

  for (const [title, calleeScenario, calleeSees] of [
    [
      'a CANCEL before answer reaches the callee; the caller gets 487',
      'invite-uas-ring-no-answer.xml',
      ['CANCEL', 'ACK'],
    ],
    [
      'a 200 OK racing the CANCEL is ACKed and ended with BYE; the caller gets 487',
      'invite-uas-200-after-cancel.xml',
      ['CANCEL', 'ACK', 'BYE'],
    ],
  ] as const) {
    it(title, async () => {
      const callee = peers.add(await startSippUas({ scenario: calleeScenario, calls: 1 }));
      const sbc = (peers.sbc = await startTestSbc({ carrierPort: callee.port, capture: true }));
      await waitReady(sbc);
      const caller = await runSipp({
        scenario: 'invite-uac-cancel.xml',
        remote: { host: '127.0.0.1', port: sbc.sipPort },
        calls: 1,
        timeoutMs: 10_000,
      });
      assert.equal(caller.outcome, 'all-succeeded', explain(caller));
      assert.equal(received(messagesOf(caller), 'SIP/2.0 487').length > 0, true, 'the caller got 487');
      const calleeResult = await callee.done;
      assert.equal(calleeResult.outcome, 'all-succeeded', explain(calleeResult));
      const atCallee = messagesOf(calleeResult);
      for (const method of calleeSees)
        assert.ok(received(atCallee, `${method} sip:`).length > 0, `callee got ${method}`);
      const cdr = await firstCdr(sbc);
      assert.equal(cdr.finalStatus, 487);
      assert.equal(cdr.answerAt, null);
      await assertNothingHeld(sbc);
    });
  }
});
