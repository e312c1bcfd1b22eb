/**
 * The engine in a worker thread (lib/engine/thread): an unmodified drachtio-srf app in the main
 * thread bridges sipp calls through it with createB2BUA; the engine's counters come back over
 * the thread boundary, its log records reach the main thread's logger, a start that cannot bind
 * fails with a clear error, and close() ends the worker.
 */
import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import Srf from 'drachtio-srf';
import { startEngineThread, type EngineThread } from '../../../lib/engine/thread/engine-thread';
import { capturingLog } from '../../support/capture-log';
import { runSipp, startSippUas } from '../../support/sipp';
import { freeSipPort } from '../../support/ports';
import { eventually } from '../../support/http';

describe('engine in a worker thread', function () {
  this.timeout(60_000);
  let thread: EngineThread | undefined;
  afterEach(async () => {
    await thread?.close();
    thread = undefined;
  });

  it('carries B2BUA calls of a main-thread srf app; counters and logs cross the thread boundary', async () => {
    const captured = capturingLog();
    const logs = captured.lines;
    const sipPort = await freeSipPort();
    thread = await startEngineThread({
      control: { address: '127.0.0.1', port: 0, secret: 'thread-secret' },
      listeners: [{ transport: 'udp', address: '127.0.0.1', port: sipPort }],
      timers: { t1: 100, t2: 400, t4: 500 },
      overload: { maxEventLoopDelayMs: 0 },
      logLevel: 'info',
      log: captured.log,
    });
    assert.equal(thread.listeners[0]?.port, sipPort);
    const uas = await startSippUas({ scenario: 'invite-uas.xml' });
    const srf = new Srf();
    let bridged = 0;
    srf.invite((req, res) => {
      void srf
        .createB2BUA(req, res, `sip:callee@127.0.0.1:${uas.port}`, { localSdpB: req.body })
        .then(({ uas: a, uac: b }) => {
          bridged++;
          a.on('destroy', () => {
            b.destroy();
          });
          b.on('destroy', () => {
            a.destroy();
          });
        });
    });
    const control = thread.control;
    await new Promise<void>((resolve, reject) => {
      srf.on('connect', (err: Error | null) => {
        if (err) reject(err);
        else resolve();
      });
      void srf.connect({ host: control.address, port: control.port, secret: 'thread-secret' });
    });
    try {
      const r = await runSipp({
        scenario: 'invite-uac.xml',
        remote: { host: '127.0.0.1', port: sipPort },
        calls: 5,
        pauseMs: 100,
        timeoutMs: 20_000,
      });
      assert.equal(r.outcome, 'all-succeeded', r.output + r.errors);
      assert.equal(bridged, 5);
      const elu = thread.eventLoopUtilization();
      assert.ok(elu.active > 0, `the worker's event loop did work: ${JSON.stringify(elu)}`);
      assert.ok(elu.utilization > 0 && elu.utilization < 1, `utilisation ${elu.utilization}`);
      const t = thread;
      await eventually(async () => {
        const s = await t.snapshot();
        assert.equal(s.dialogs, 0, 'no dialog left');
        assert.ok(s.stats.requestsReceived >= 15, `INVITE, ACK, BYE per call: ${s.stats.requestsReceived}`);
      });
      assert.ok(
        logs.some((l) => l.level === 'info' && /SIP engine listening/.test(l.msg)),
        `the worker's log records reach the main thread: ${JSON.stringify(logs)}`,
      );
      assert.ok(
        logs.every((l) => l.level !== 'debug' && l.level !== 'trace'),
        'records below the level stay in the worker',
      );
    } finally {
      srf.disconnect();
      await uas.stop();
    }
    const gone = thread.exited;
    await thread.close();
    thread = undefined;
    assert.equal(typeof (await gone).code, 'number', 'close() ends the worker');
  });

  it('rejects with the bind error when the SIP port is taken; no worker is left behind', async () => {
    const sipPort = await freeSipPort();
    const squatter = createSocket('udp4');
    await new Promise<void>((resolve) => squatter.bind(sipPort, '127.0.0.1', resolve));
    try {
      await assert.rejects(
        startEngineThread({
          control: { address: '127.0.0.1', port: 0, secret: 's' },
          listeners: [{ transport: 'udp', address: '127.0.0.1', port: sipPort }],
          logLevel: 'silent',
          log: capturingLog().log,
        }),
        (e: Error) => e.name === 'EngineThreadError' && /EADDRINUSE|in use/i.test(e.message),
      );
    } finally {
      squatter.close();
    }
  });
});
