/**
 * Unmodified drachtio-srf apps on Palisade's engine, driven by real sipp over UDP and TCP:
 * rejecting an INVITE, answering with createUAS (SDP, ACK, BYE from the caller), 100 Trying only
 * for an app slower than 200 ms, CANCEL before answer, OPTIONS, and the 503 when no app handles a
 * method.
 */
import assert from 'node:assert/strict';
import type Srf from 'drachtio-srf';
import { runSipp } from '../../support/sipp';
import { startTestEngine, type TestEngine } from '../../support/engine';
import { eventually } from '../../support/http';

const SDP = [
  'v=0',
  'o=- 1 1 IN IP4 127.0.0.1',
  's=-',
  'c=IN IP4 127.0.0.1',
  't=0 0',
  'm=audio 30000 RTP/AVP 0',
  'a=rtpmap:0 PCMU/8000',
  '',
].join('\r\n');

describe('drachtio-srf UAS apps on the Palisade engine (sipp callers)', function () {
  this.timeout(60_000);
  let t: TestEngine;
  beforeEach(async () => {
    t = await startTestEngine();
  });
  afterEach(async () => {
    await t.close();
  });

  it('rejects an INVITE with the status the app chose; the ACK for it is absorbed', async () => {
    let invites = 0;
    await t.connectApp((srf) => {
      srf.invite((_req, res) => {
        invites++;
        res.send(486);
      });
    });
    const r = await runSipp({
      scenario: 'invite-uac-expect-error.xml',
      remote: { host: '127.0.0.1', port: t.sipPort },
      calls: 3,
      timeoutMs: 15_000,
    });
    assert.equal(r.outcome, 'all-succeeded', r.output + r.errors);
    assert.equal(r.stats.successful, 3);
    assert.equal(invites, 3, 'each INVITE reached the app once (retransmissions absorbed)');
  });

  for (const transport of ['u1', 't1'] as const) {
    it(`answers with createUAS over ${transport === 'u1' ? 'UDP' : 'TCP'}: SDP in the 200, ACK to the app, BYE destroys the dialog`, async () => {
      const destroyed: string[] = [];
      let acked = 0;
      let remoteSdp = '';
      await t.connectApp((srf: Srf) => {
        srf.invite((req, res) => {
          remoteSdp = req.body;
          srf
            .createUAS(req, res, { localSdp: SDP })
            .then((dialog) => {
              dialog.on('ack', () => acked++);
              dialog.on('destroy', () => destroyed.push(req.callId));
            })
            .catch((e: unknown) => {
              throw e;
            });
        });
      });
      const r = await runSipp({
        scenario: 'invite-uac.xml',
        remote: { host: '127.0.0.1', port: t.sipPort },
        transport,
        calls: 2,
        pauseMs: 200,
        timeoutMs: 20_000,
      });
      assert.equal(r.outcome, 'all-succeeded', r.output + r.errors);
      assert.match(remoteSdp, /^v=0/);
      await eventually(() => {
        assert.equal(destroyed.length, 2);
      });
      assert.equal(acked, 2);
      assert.equal(t.engine.state.dialogCount, 0, 'dialogs removed after BYE');
    });
  }

  it('sends 100 Trying only when the app has not answered within 200 ms (RFC 3261 §17.2.1)', async () => {
    await t.connectApp((srf: Srf) => {
      srf.invite((req, res) => {
        const answer = (): void => {
          srf.createUAS(req, res, { localSdp: SDP }).catch((e: unknown) => {
            throw e;
          });
        };
        if (req.uri.startsWith('sip:slow@')) setTimeout(answer, 700);
        else answer();
      });
    });
    const remote = { host: '127.0.0.1', port: t.sipPort };
    // a 100 before the 200 aborts this scenario's calls
    const fast = await runSipp({ scenario: 'invite-uac-no-trying.xml', remote, calls: 3, timeoutMs: 20_000 });
    assert.equal(fast.outcome, 'all-succeeded', fast.output + fast.errors);
    // here the 100 is required before anything else
    const slow = await runSipp({
      scenario: 'invite-uac-trying-first.xml',
      remote,
      service: 'slow',
      calls: 2,
      timeoutMs: 20_000,
    });
    assert.equal(slow.outcome, 'all-succeeded', slow.output + slow.errors);
  });

  it('answers OPTIONS from an app and 503s methods no app routed', async () => {
    await t.connectApp((srf) => {
      srf.use('options', (_req, res) => {
        res.send(200);
      });
    });
    const ok = await runSipp({
      scenario: 'options-uac.xml',
      remote: { host: '127.0.0.1', port: t.sipPort },
      calls: 5,
      timeoutMs: 10_000,
    });
    assert.equal(ok.outcome, 'all-succeeded', ok.output + ok.errors);
    const none = await runSipp({
      scenario: 'invite-uac-expect-error.xml',
      remote: { host: '127.0.0.1', port: t.sipPort },
      calls: 1,
      timeoutMs: 10_000,
    });
    assert.equal(none.outcome, 'all-succeeded', 'the INVITE got a final error (503: no app routed invite)');
  });

  it('handles CANCEL before answer: 200 to the CANCEL, 487 to the INVITE, cancel event in the app', async () => {
    let cancelled = 0;
    await t.connectApp((srf) => {
      srf.invite((req, res) => {
        req.on('cancel', () => cancelled++);
        res.send(180);
      });
    });
    const r = await runSipp({
      scenario: 'invite-uac-cancel.xml',
      remote: { host: '127.0.0.1', port: t.sipPort },
      calls: 2,
      timeoutMs: 15_000,
    });
    assert.equal(r.outcome, 'all-succeeded', r.output + r.errors);
    await eventually(() => {
      assert.equal(cancelled, 2);
    });
  });
});
