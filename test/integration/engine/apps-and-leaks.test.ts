/**
 * The engine when apps are missing, leave, or handle non-call methods — and that nothing leaks:
 * after each test the engine holds no pending app transactions, no dialogs and (once the RFC 3261
 * wait timers have run, short here) no SIP transactions.
 */
import assert from 'node:assert/strict';
import { runSipp } from '../../support/sipp';
import { startTestEngine, type TestEngine } from '../../support/engine';
import { eventually } from '../../support/http';

const SDP = [
  'v=0',
  'o=- 3 3 IN IP4 127.0.0.1',
  's=-',
  'c=IN IP4 127.0.0.1',
  't=0 0',
  'm=audio 32000 RTP/AVP 0',
  '',
].join('\r\n');

describe('engine without apps, with departing apps, and leak checks', function () {
  this.timeout(60_000);
  let t: TestEngine;
  beforeEach(async () => {
    t = await startTestEngine({ t1: 20, t2: 80, t4: 100 });
  });
  afterEach(async function () {
    if (this.currentTest?.state === 'passed') {
      await eventually(() => {
        const s = t.engine.state;
        assert.deepEqual(
          {
            servers: s.servers.size,
            clients: s.clients.size,
            dialogs: s.dialogCount,
            transactions: t.engine.transactionCounts,
          },
          { servers: 0, clients: 0, dialogs: 0, transactions: { server: 0, client: 0 } },
          'engine state after the test',
        );
      }, 15_000);
    }
    await t.close();
  });

  it('answers INVITE with 503 when no app is connected (a clear final response, not silence)', async () => {
    const r = await runSipp({
      scenario: 'invite-uac-expect-error.xml',
      remote: { host: '127.0.0.1', port: t.sipPort },
      calls: 2,
      timeoutMs: 10_000,
    });
    assert.equal(r.outcome, 'all-succeeded', r.output + r.errors);
  });

  it('answers 480 for INVITEs pending at an app that disconnects before answering', async () => {
    await t.connectApp((app) => {
      app.invite(() => {
        app.disconnect();
      });
    });
    const r = await runSipp({
      scenario: 'invite-uac-expect-error.xml',
      remote: { host: '127.0.0.1', port: t.sipPort },
      calls: 1,
      timeoutMs: 10_000,
    });
    assert.equal(r.outcome, 'all-succeeded', r.output + r.errors);
  });

  it('answers 481 to in-dialog requests of an app that disconnected mid-call, and forgets the dialog', async () => {
    await t.connectApp((app) => {
      app.invite((req, res) => {
        app.createUAS(req, res, { localSdp: SDP }).then(
          () => {
            app.disconnect();
          },
          () => undefined,
        );
      });
    });
    // invite-uac.xml expects 200 to its BYE: with the app gone it gets 481, so the call "fails".
    const r = await runSipp({
      scenario: 'invite-uac.xml',
      remote: { host: '127.0.0.1', port: t.sipPort },
      calls: 1,
      pauseMs: 300,
      timeoutMs: 10_000,
    });
    assert.equal(r.outcome, 'some-failed', r.output);
    assert.match(r.errors + r.output, /481/);
  });

  it('lets an app handle REGISTER and OPTIONS', async () => {
    const registered: string[] = [];
    await t.connectApp((app) => {
      app.use('register', (req, res) => {
        registered.push(req.get('Contact'));
        res.send(200, { headers: { Contact: req.get('Contact'), Expires: '3600' } });
      });
      app.use('options', (_req, res) => {
        res.send(200);
      });
    });
    const reg = await runSipp({
      scenario: 'register-uac.xml',
      remote: { host: '127.0.0.1', port: t.sipPort },
      calls: 2,
      timeoutMs: 10_000,
    });
    assert.equal(reg.outcome, 'all-succeeded', reg.output + reg.errors);
    assert.equal(registered.length, 2);
    assert.match(registered[0] ?? '', /^<sip:/);
    const opt = await runSipp({
      scenario: 'options-uac.xml',
      remote: { host: '127.0.0.1', port: t.sipPort },
      calls: 3,
      timeoutMs: 10_000,
    });
    assert.equal(opt.outcome, 'all-succeeded', opt.output + opt.errors);
  });
});
