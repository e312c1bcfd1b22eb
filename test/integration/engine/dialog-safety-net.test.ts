/**
 * The engine's dialog safety net (issue 5): a confirmed dialog with no traffic past the max idle
 * age, or whose app went away, is ended — BYE to the peer with a Reason, the app (if still there)
 * told with an unsolicited BYE — counted and forgotten, so the engine never leaks dialogs. Real
 * drachtio-srf apps and sipp callers; short ages so the test is quick.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import Srf from 'drachtio-srf';
import { startEngine, type Engine } from '../../../lib/engine/embedded-engine';
import { silentLog } from '../../../lib/util/logger';
import { runSipp, type SippResult } from '../../support/sipp';
import { freeSipPort } from '../../support/ports';
import { eventually } from '../../support/http';
import { engineHolds } from '../../support/engine-holds';

const SDP = [
  'v=0',
  'o=- 1 1 IN IP4 127.0.0.1',
  's=-',
  'c=IN IP4 127.0.0.1',
  't=0 0',
  'm=audio 30000 RTP/AVP 0',
  '',
].join('\r\n');

const byeReceived = (r: SippResult): string => {
  const log = r.files.messages ? readFileSync(r.files.messages, 'utf8') : '';
  const at = log.indexOf('BYE sip:');
  return at < 0 ? '' : log.slice(at, log.indexOf('\n\n', at));
};

describe('engine dialog safety net (idle and orphaned dialogs)', function () {
  this.timeout(60_000);
  let engine: Engine | undefined;
  let sipPort = 0;
  const apps: Srf[] = [];
  let destroyed: string[];

  beforeEach(async () => {
    sipPort = await freeSipPort();
    destroyed = [];
  });
  afterEach(async function () {
    // Leak check (as for every engine test): nothing held once a passed test's calls are over.
    let leak: Error | undefined;
    const e = engine;
    if (e && this.currentTest?.state === 'passed') {
      await eventually(() => {
        assert.deepEqual(engineHolds(e), { dialogs: 0, appServerTxns: 0, appClientTxns: 0 });
      }, 5000).catch((err: unknown) => {
        leak = err instanceof Error ? err : new Error(String(err));
      });
    }
    for (const srf of apps.splice(0)) {
      srf.removeAllListeners();
      try {
        srf.disconnect();
      } catch {
        // the test disconnected it already
      }
    }
    await engine?.close();
    engine = undefined;
    if (leak) throw leak;
  });

  async function start(maxIdleMs: number): Promise<Srf> {
    const secret = randomBytes(8).toString('hex');
    engine = await startEngine({
      control: { address: '127.0.0.1', port: 0, secret },
      listeners: [{ transport: 'udp', address: '127.0.0.1', port: sipPort }],
      timers: { t1: 100, t2: 400, t4: 500 },
      log: silentLog,
      overload: { maxEventLoopDelayMs: 0 },
      dialogSafetyNet: { maxIdleMs, sweepIntervalMs: 200 },
    });
    const srf = new Srf();
    apps.push(srf);
    srf.invite((req, res) => {
      srf.createUAS(req, res, { localSdp: SDP }).then(
        (uas) => {
          uas.on('destroy', (msg: { get(h: string): string }) => destroyed.push(msg.get('Reason')));
        },
        () => undefined,
      );
    });
    const port = engine.control.port;
    await new Promise<void>((resolve, reject) => {
      srf.on('connect', (err: Error | null) => {
        if (err) reject(err);
        else resolve();
      });
      // One attempt: the app must not keep reconnecting once its engine is gone.
      const opts = { host: '127.0.0.1', port, secret, reconnect: { maxAttempts: 1 } };
      void srf.connect(opts);
    });
    return srf;
  }

  const caller = (): Promise<SippResult> =>
    runSipp({
      scenario: 'invite-uac-expect-bye.xml',
      remote: { host: '127.0.0.1', port: sipPort },
      calls: 1,
      timeoutMs: 20_000,
      traceMessages: true,
    });

  it('ends a confirmed dialog idle past the max age: BYE with a Reason to the peer, destroy for the app', async () => {
    await start(1000);
    const r = await caller();
    assert.equal(r.outcome, 'all-succeeded', r.output + r.errors);
    assert.match(byeReceived(r), /^Reason: SIP ;cause=200 ;text="Dialog idle too long"/m);
    await eventually(() => {
      assert.deepEqual(destroyed, ['SIP ;cause=200 ;text="Dialog idle too long"']);
    });
    assert.deepEqual({ ...engine?.dialogsSwept }, { orphaned: 0, idle: 1 });
    assert.equal(engine?.state.dialogCount, 0);
  });

  it('ends the dialogs of an app that went away (BYE to the peer), counted as orphaned', async () => {
    const srf = await start(3600_000);
    const callerDone = caller();
    await eventually(() => {
      assert.equal(engine?.state.dialogCount, 1);
    }, 10_000);
    srf.disconnect();
    const r = await callerDone;
    assert.equal(r.outcome, 'all-succeeded', r.output + r.errors);
    assert.match(byeReceived(r), /^Reason: SIP ;cause=200 ;text="Application gone"/m);
    assert.deepEqual({ ...engine?.dialogsSwept }, { orphaned: 1, idle: 0 });
    assert.equal(engine?.state.dialogCount, 0);
  });

  it('keeps a dialog quieter than the max age: a call silent for 0.7 s of a 1.5 s limit is not swept', async () => {
    await start(1500);
    const r = await runSipp({
      scenario: 'invite-uac.xml',
      remote: { host: '127.0.0.1', port: sipPort },
      calls: 1,
      pauseMs: 700,
      timeoutMs: 20_000,
    });
    assert.equal(r.outcome, 'all-succeeded', r.output + r.errors);
    assert.deepEqual({ ...engine?.dialogsSwept }, { orphaned: 0, idle: 0 });
    assert.equal(engine?.state.dialogCount, 0);
  });
});
