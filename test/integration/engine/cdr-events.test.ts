/**
 * CDR events (protocol doc §4.3) to a real drachtio-srf app that listens to cdr:attempt/start/stop,
 * driven by real sipp calls: answered call (attempt, start uas, stop normal-release), rejected
 * call (stop call-rejected), CANCEL (stop call-canceled); apps that did not route cdr:* get none.
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
  '',
].join('\r\n');

interface Cdr {
  type: 'attempt' | 'start' | 'stop';
  source: string;
  time: string;
  detail: string;
  first: string;
}

const firstLine = (msg: Srf.SipMessage): string => {
  const m = msg as unknown as { method?: string; status?: number };
  return m.method ?? String(m.status ?? '');
};

describe('CDR events to drachtio-srf apps (sipp callers)', function () {
  this.timeout(60_000);
  let t: TestEngine;
  let cdrs: Cdr[];
  beforeEach(async () => {
    t = await startTestEngine();
    cdrs = [];
    await t.connectApp((srf) => {
      srf.on('cdr:attempt', (source, time, msg) =>
        cdrs.push({ type: 'attempt', source, time, detail: '', first: firstLine(msg) }),
      );
      srf.on('cdr:start', (source, time, role, msg) =>
        cdrs.push({ type: 'start', source, time, detail: role, first: firstLine(msg) }),
      );
      srf.on('cdr:stop', (source, time, reason, msg) =>
        cdrs.push({ type: 'stop', source, time, detail: reason, first: firstLine(msg) }),
      );
    });
  });
  afterEach(async () => {
    await t.close();
  });

  it('answered call: attempt (network INVITE), start (uas 200), stop (network BYE, normal-release)', async () => {
    await t.connectApp((srf) => {
      srf.invite((req, res) => {
        void srf.createUAS(req, res, { localSdp: SDP });
      });
    });
    const r = await runSipp({
      scenario: 'invite-uac.xml',
      remote: { host: '127.0.0.1', port: t.sipPort },
      calls: 1,
      timeoutMs: 15_000,
    });
    assert.equal(r.outcome, 'all-succeeded', r.output + r.errors);
    await eventually(() => {
      assert.deepEqual(
        cdrs.map((c) => [c.type, c.source, c.detail, c.first]),
        [
          ['attempt', 'network', '', 'INVITE'],
          ['start', 'application', 'uas', '200'],
          ['stop', 'network', 'normal-release', 'BYE'],
        ],
      );
    });
    assert.match(cdrs[0]?.time ?? '', /^\d\d:\d\d:\d\d\.\d{6}$/);
  });

  it('rejected call: stop call-rejected with the final response; CANCEL: stop call-canceled', async () => {
    let reject = true;
    await t.connectApp((srf) => {
      srf.invite((_req, res) => {
        res.send(reject ? 486 : 180);
      });
    });
    const busy = await runSipp({
      scenario: 'invite-uac-expect-error.xml',
      remote: { host: '127.0.0.1', port: t.sipPort },
      calls: 1,
      timeoutMs: 15_000,
    });
    assert.equal(busy.outcome, 'all-succeeded', busy.output + busy.errors);
    await eventually(() => {
      assert.deepEqual(
        cdrs.map((c) => [c.type, c.source, c.detail, c.first]),
        [
          ['attempt', 'network', '', 'INVITE'],
          ['stop', 'application', 'call-rejected', '486'],
        ],
      );
    });
    cdrs.length = 0;
    reject = false;
    const cancel = await runSipp({
      scenario: 'invite-uac-cancel.xml',
      remote: { host: '127.0.0.1', port: t.sipPort },
      calls: 1,
      timeoutMs: 15_000,
    });
    assert.equal(cancel.outcome, 'all-succeeded', cancel.output + cancel.errors);
    await eventually(() => {
      assert.deepEqual(
        cdrs.map((c) => [c.type, c.source, c.detail, c.first]),
        [
          ['attempt', 'network', '', 'INVITE'],
          ['stop', 'network', 'call-canceled', 'CANCEL'],
        ],
      );
    });
  });

  it('503 for an INVITE no app routed still yields an attempt (and a stop with that 503)', async () => {
    const r = await runSipp({
      scenario: 'invite-uac-expect-error.xml',
      remote: { host: '127.0.0.1', port: t.sipPort },
      calls: 1,
      timeoutMs: 15_000,
    });
    assert.equal(r.outcome, 'all-succeeded', r.output + r.errors);
    await eventually(() => {
      assert.deepEqual(
        cdrs.map((c) => [c.type, c.first]),
        [
          ['attempt', 'INVITE'],
          ['stop', '503'],
        ],
      );
    });
  });
});
