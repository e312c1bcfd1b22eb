/**
 * The SBC end to end with the real engine, rtpengine and sipp: a call from a trunk source routed to
 * the carrier trunk, its media anchored in rtpengine, topology hidden, BYE across, and the
 * rejections of the pipeline (unknown source, no route, loops).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { runSipp, startSippUas, type SippUas } from '../../support/sipp';
import { startTestSbc, type TestSbc } from '../../support/sbc';
import { eventually, httpGet, metricValue } from '../../support/http';

describe('SBC call core (engine + B2BUA + rtpengine + sipp)', function () {
  this.timeout(60_000);
  let sbc: TestSbc | undefined;
  let callee: SippUas | undefined;
  afterEach(async () => {
    await callee?.stop(300);
    await sbc?.stop();
    callee = undefined;
    sbc = undefined;
  });

  it('bridges a call from the trunk to the carrier with media anchored and topology hidden', async () => {
    callee = await startSippUas({ scenario: 'invite-uas.xml', calls: 1, traceMessages: true });
    sbc = await startTestSbc({ carrierPort: callee.port });
    await eventually(async () => {
      assert.equal((await httpGet(`${sbc!.opsUrl}/ready`)).status, 200);
    });
    const caller = await runSipp({
      scenario: 'invite-uac.xml',
      remote: { host: '127.0.0.1', port: sbc.sipPort },
      calls: 1,
      pauseMs: 300,
      timeoutMs: 20_000,
      traceMessages: true,
    });
    assert.equal(caller.outcome, 'all-succeeded', caller.output + caller.errors);
    const calleeResult = await callee.done;
    assert.equal(calleeResult.outcome, 'all-succeeded', calleeResult.output + calleeResult.errors);
    const seenByCallee = readFileSync(calleeResult.files.messages ?? '', 'utf8');
    const invite = seenByCallee.slice(seenByCallee.indexOf('INVITE sip:'));
    const inviteHead = invite.slice(0, invite.indexOf('\r\n\r\n'));
    const callerCallId =
      /Call-ID: (.+)/i.exec(readFileSync(caller.files.messages ?? '', 'utf8'))?.[1]?.trim() ?? 'x';
    assert.ok(!inviteHead.includes(callerCallId), 'the caller’s Call-ID does not cross');
    assert.equal((inviteHead.match(/^Via:/gim) ?? []).length, 1, 'only the SBC’s own Via');
    assert.match(inviteHead, new RegExp(`^Contact: <sip:127\\.0\\.0\\.1:${sbc.sipPort}>`, 'mi'));
  });

  it('a caller that never ACKs: the engine’s own BYE ends the call and is no ALG evidence', async () => {
    callee = await startSippUas({ scenario: 'invite-uas.xml', calls: 1 });
    const started = await startTestSbc({ carrierPort: callee.port, capture: true });
    sbc = started;
    await eventually(async () => {
      assert.equal((await httpGet(`${started.opsUrl}/ready`)).status, 200);
    });
    // 64 × T1 (100 ms in the test configuration) without an ACK: BYE with Reason "ACK timeout"
    const caller = await runSipp({
      scenario: 'invite-uac-no-ack.xml',
      remote: { host: '127.0.0.1', port: started.sipPort },
      calls: 1,
      timeoutMs: 30_000,
    });
    assert.equal(caller.outcome, 'all-succeeded', caller.output + caller.errors);
    const cdr = await eventually(() => {
      const found = started.cdrs()[0];
      assert.ok(found, 'a CDR');
      return found;
    });
    assert.equal(cdr.finalStatus, 200);
    // the BYE the engine sent for the caller carries the caller's Contact, not the signed one the
    // caller would have used: the SBC must not take it for an ALG dropping its signed parameter
    assert.equal(
      await metricValue(started.opsUrl, /^palisade_alg_evidence_total\{signal="signed-param-altered"\}/),
      undefined,
    );
    assert.ok(!started.logs.some((l) => l.msg === 'signed Contact parameter came back altered'));
  });

  for (const [name, routing, status] of [
    [
      'an unknown source gets 403',
      'trunks:\n  - { name: other, inbound: { sources: [ 198.51.100.0/24 ] } }\nroutes: []',
      403,
    ],
    [
      'a call no route matches gets 404',
      'trunks:\n  - { name: local, inbound: { sources: [ 127.0.0.0/8 ] } }\n  - { name: carrier, outbound: { gateways: [ { uri: "sip:127.0.0.1:9" } ] } }\nroutes:\n  - { from: local, match: { ruri: "^sip:\\\\+99" }, to: { trunk: carrier } }',
      404,
    ],
    [
      'a silent carrier gateway ends in 480 after the INVITE timeout',
      'trunks:\n  - { name: local, inbound: { sources: [ 127.0.0.0/8 ] } }\n  - { name: carrier, outbound: { inviteTimeoutSeconds: 1, gateways: [ { uri: "sip:127.0.0.1:9" } ] } }\nroutes:\n  - { from: local, to: { trunk: carrier } }',
      480,
    ],
  ] as const) {
    it(name, async () => {
      sbc = await startTestSbc({ carrierPort: 9, routingYaml: routing });
      const r = await runSipp({
        scenario: 'invite-uac-expect-error.xml',
        remote: { host: '127.0.0.1', port: sbc.sipPort },
        calls: 1,
        timeoutMs: 15_000,
        traceMessages: true,
      });
      assert.equal(r.outcome, 'all-succeeded', r.output + r.errors);
      assert.match(readFileSync(r.files.messages ?? '', 'utf8'), new RegExp(`SIP/2\\.0 ${status} `));
    });
  }
});
