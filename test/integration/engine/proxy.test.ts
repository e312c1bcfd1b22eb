/**
 * `srf.proxyRequest` on the Palisade engine (protocol doc §3.5, §7, checklist 43-45): an
 * unmodified drachtio-srf app proxies sipp callers to sipp callees — record-routed calls whose
 * ACK and BYE cross the engine without reaching the app (UDP and TCP callers), serial forking
 * (on a failure and on a provisional timeout), simultaneous forking, the best final response,
 * REGISTER with Path, the `continue`/`done` reporting srf turns into its result, Max-Forwards 0,
 * caller CANCEL, and the
 * NOK replies for an unknown transaction and for a request that could not be forwarded.
 */
import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type Srf from 'drachtio-srf';
import { runSipp, scenarioPath, startSippUas, type SippResult, type SippUas } from '../../support/sipp';
import { startTestEngine, type TestEngine } from '../../support/engine';
import { eventually } from '../../support/http';

interface ProxyResult {
  connected: boolean;
  finalStatus?: number;
  responses: { address: string; port: number; msgs: { status: number }[] }[];
}
type ProxyOpts = Parameters<Srf['proxyRequest']>[2];
type SrfRequest = Parameters<Srf['proxyRequest']>[0];

/** srf's callback form, typed: resolves with srf's result, rejects with the NOK reason. */
function proxy(srf: Srf, req: SrfRequest, dests: string[], opts: ProxyOpts): Promise<ProxyResult> {
  return new Promise((resolve, reject) => {
    srf.proxyRequest(req, dests, opts, (err: unknown, results: unknown) => {
      if (err) reject(new Error(typeof err === 'string' ? err : 'proxyRequest failed'));
      else resolve(results as ProxyResult);
    });
  });
}

function first(results: ProxyResult[]): ProxyResult {
  const [r] = results;
  assert.ok(r, 'srf resolved proxyRequest');
  return r;
}
const statuses = (r: ProxyResult): number[] => r.responses.flatMap((g) => g.msgs.map((m) => m.status));
const messages = (r: SippResult): string => (r.files.messages ? readFileSync(r.files.messages, 'utf8') : '');

describe('srf.proxyRequest on the Palisade engine (sipp caller and callees)', function () {
  this.timeout(60_000);
  let t: TestEngine;
  const uases: SippUas[] = [];
  beforeEach(async () => {
    t = await startTestEngine();
  });
  afterEach(async () => {
    for (const u of uases.splice(0)) await u.stop(500);
    await t.close();
  });

  async function callee(scenario: string): Promise<SippUas> {
    const uas = await startSippUas({ scenario, calls: 1 });
    uases.push(uas);
    return uas;
  }
  const dest = (u: SippUas): string => `sip:callee@127.0.0.1:${u.port}`;

  /** An app that proxies every INVITE; `seen` collects every request it is handed. */
  async function proxyApp(dests: () => string[], opts: ProxyOpts) {
    const seen: string[] = [];
    const results: ProxyResult[] = [];
    const errors: string[] = [];
    await t.connectApp((srf: Srf) => {
      srf.use((req, _res, next) => {
        seen.push(req.method);
        (next as () => void)();
      });
      srf.invite((req) => {
        proxy(srf, req, dests(), opts).then(
          (r) => results.push(r),
          (e: unknown) => errors.push((e as Error).message),
        );
      });
    });
    return { seen, results, errors };
  }

  function call(scenario: string, pauseMs = 200, transport: 'u1' | 't1' = 'u1'): Promise<SippResult> {
    return runSipp({
      scenario,
      transport,
      remote: { host: '127.0.0.1', port: t.sipPort },
      calls: 1,
      pauseMs,
      timeoutMs: 20_000,
    });
  }

  for (const transport of ['u1', 't1'] as const) {
    it(`record-routes a call (caller over ${transport === 'u1' ? 'UDP' : 'TCP'}): ACK and BYE cross the engine to the callee, never the app`, async () => {
      const uas = await callee('invite-uas.xml');
      const app = await proxyApp(() => [dest(uas)], { remainInDialog: true });
      const caller = await call('invite-uac.xml', 200, transport);
      assert.equal(caller.outcome, 'all-succeeded', caller.output + caller.errors);
      const calleeResult = await uas.done;
      assert.equal(calleeResult.outcome, 'all-succeeded', calleeResult.output + calleeResult.errors);
      assert.match(
        messages(calleeResult),
        new RegExp(`Record-Route: <sip:127\\.0\\.0\\.1:${t.sipPort};transport=udp;lr>`),
      );
      await eventually(() => {
        assert.equal(app.results.length, 1);
      });
      assert.equal(first(app.results).connected, true);
      assert.equal(first(app.results).finalStatus, 200);
      assert.deepEqual(app.seen, ['INVITE'], 'only the INVITE reached the app');
    });
  }

  it('serial forking: 486 from the first target, the second answers; both finals are reported', async () => {
    const busy = await callee('invite-uas-busy.xml');
    const ok = await callee('invite-uas.xml');
    const app = await proxyApp(() => [dest(busy), dest(ok)], { remainInDialog: true, forking: 'sequential' });
    const caller = await call('invite-uac.xml');
    assert.equal(caller.outcome, 'all-succeeded', caller.output + caller.errors);
    for (const u of [busy, ok]) {
      const r = await u.done;
      assert.equal(r.outcome, 'all-succeeded', r.output + r.errors);
    }
    await eventually(() => {
      assert.equal(app.results.length, 1);
    });
    const result = app.results[0];
    assert.ok(result);
    assert.deepEqual(statuses(result), [486, 200], 'one continue frame per final response');
    assert.equal(result.finalStatus, 200);
    assert.equal(result.connected, true);
  });

  it('serial forking moves on when a target sends no provisional response in time', async () => {
    const silent = dgram.createSocket('udp4');
    let swallowed = 0;
    silent.on('message', () => swallowed++);
    await new Promise<void>((resolve) => silent.bind(0, '127.0.0.1', resolve));
    try {
      const ok = await callee('invite-uas.xml');
      const silentDest = `sip:callee@127.0.0.1:${silent.address().port}`;
      const app = await proxyApp(() => [silentDest, dest(ok)], {
        remainInDialog: true,
        provisionalTimeout: '300ms',
      });
      const started = Date.now();
      const caller = await call('invite-uac.xml');
      assert.equal(caller.outcome, 'all-succeeded', caller.output + caller.errors);
      assert.ok(swallowed >= 1, 'the first target got the INVITE');
      const okResult = await ok.done;
      assert.equal(okResult.outcome, 'all-succeeded', okResult.output + okResult.errors);
      assert.ok(Date.now() - started < 5000, 'did not wait for the first target to time out');
      await eventually(() => {
        assert.equal(first(app.results).finalStatus, 200);
      });
    } finally {
      silent.close();
    }
  });

  it('simultaneous forking: the first 2xx wins and the ringing branch is CANCELled', async () => {
    const ringer = await callee('invite-uas-ring-no-answer.xml');
    const ok = await callee('invite-uas.xml');
    const app = await proxyApp(() => [dest(ringer), dest(ok)], {
      remainInDialog: true,
      forking: 'simultaneous',
    });
    const caller = await call('invite-uac.xml');
    assert.equal(caller.outcome, 'all-succeeded', caller.output + caller.errors);
    const ringerResult = await ringer.done;
    assert.equal(ringerResult.outcome, 'all-succeeded', 'the loser got CANCEL: ' + ringerResult.errors);
    const okResult = await ok.done;
    assert.equal(okResult.outcome, 'all-succeeded', okResult.output + okResult.errors);
    await eventually(() => {
      assert.equal(app.results.length, 1);
    });
    assert.equal(first(app.results).finalStatus, 200);
    assert.equal(first(app.results).connected, true);
  });

  it('all targets fail: the best final response goes upstream (6xx over 4xx)', async () => {
    const busy = await callee('invite-uas-busy.xml');
    const declining = path.join(mkdtempSync(path.join(os.tmpdir(), 'palisade-proxy-')), 'decline.xml');
    writeFileSync(
      declining,
      // The 603 comes 300 ms after the 486, so both finals are in hand and the choice is the
      // proxy's (§16.7.6), not an artefact of which callee was faster.
      readFileSync(scenarioPath('invite-uas-busy.xml'), 'utf8')
        .replaceAll('486 Busy Here', '603 Decline')
        .replace('<send retrans="500">', '<pause milliseconds="300" />\n  <send retrans="500">'),
    );
    const decline = await callee(declining);
    const app = await proxyApp(() => [dest(busy), dest(decline)], { forking: 'simultaneous' });
    const caller = await call('invite-uac-expect-error.xml');
    assert.equal(caller.outcome, 'all-succeeded', caller.output + caller.errors);
    assert.match(messages(caller), /SIP\/2\.0 603 Decline/);
    await eventually(() => {
      assert.equal(app.results.length, 1);
    });
    assert.deepEqual(statuses(first(app.results)).sort(), [486, 603]);
  });

  it('caller CANCEL: 200 and 487 to the caller, CANCEL to the branch, 487 reported to the app', async () => {
    const ringer = await callee('invite-uas-ring-no-answer.xml');
    const app = await proxyApp(() => [dest(ringer)], {});
    const caller = await call('invite-uac-cancel.xml');
    assert.equal(caller.outcome, 'all-succeeded', caller.output + caller.errors);
    const ringerResult = await ringer.done;
    assert.equal(ringerResult.outcome, 'all-succeeded', 'the branch got CANCEL: ' + ringerResult.errors);
    await eventually(() => {
      assert.equal(app.results.length, 1);
    });
    assert.equal(first(app.results).finalStatus, 487);
    assert.equal(first(app.results).connected, false);
    assert.deepEqual(app.seen, ['INVITE'], 'the CANCEL did not reach the app');
  });

  it('proxies a REGISTER with Path and Require: path (RFC 3327) when staying in the path', async () => {
    const registrar = await callee('register-uas.xml');
    const results: ProxyResult[] = [];
    await t.connectApp((srf: Srf) => {
      srf.use('register', (req) => {
        proxy(srf, req, [dest(registrar)], { path: true } as ProxyOpts).then(
          (r) => results.push(r),
          () => undefined,
        );
      });
    });
    const client = await call('register-uac.xml');
    assert.equal(client.outcome, 'all-succeeded', client.output + client.errors);
    const seen = messages(await registrar.done);
    assert.match(seen, new RegExp(`Path: <sip:127\\.0\\.0\\.1:${t.sipPort};transport=udp;lr>`));
    assert.match(seen, /Require: path/);
    await eventually(() => {
      assert.equal(first(results).finalStatus, 200);
    });
  });

  it('Max-Forwards 0: 483 to the caller and NOK to the app', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'palisade-proxy-'));
    const scenario = path.join(dir, 'mf0.xml');
    writeFileSync(
      scenario,
      readFileSync(scenarioPath('invite-uac-expect-error.xml'), 'utf8')
        .replace(/(CSeq: 1 INVITE\s+Contact: [^\n]*\n\s*)Max-Forwards: 70/, '$1Max-Forwards: 0')
        .replace(
          '<recv response="603" next="ack" />',
          '<recv response="483" optional="true" next="ack" />\n  <recv response="603" next="ack" />',
        ),
    );
    const uas = await callee('invite-uas.xml');
    const app = await proxyApp(() => [dest(uas)], {});
    const caller = await call(scenario);
    assert.equal(caller.outcome, 'all-succeeded', caller.output + caller.errors);
    assert.match(messages(caller), /SIP\/2\.0 483 /);
    await eventually(() => {
      assert.deepEqual(app.errors, ['Rejected with 483 Too Many Hops due to Max-Forwards value of 0']);
    });
    assert.equal((await uas.stop(200)).stats.callsCreated, 0, 'nothing was forwarded');
  });

  it('NOK for an unknown transaction id and when no branch can be started (500 upstream)', async () => {
    const errors: string[] = [];
    await t.connectApp((srf: Srf) => {
      srf.invite((req) => {
        const own = `sip:127.0.0.1:${t.sipPort}`; // the engine itself: never forwarded (loop)
        proxy(srf, req, [own], {}).catch((e: unknown) => errors.push((e as Error).message));
        proxy(srf, req, [own], {}).catch((e: unknown) => errors.push((e as Error).message));
      });
    });
    const caller = await call('invite-uac-expect-error.xml');
    assert.equal(caller.outcome, 'all-succeeded', caller.output + caller.errors);
    assert.match(messages(caller), /SIP\/2\.0 500 /);
    await eventually(() => {
      assert.equal(errors.length, 2);
    });
    assert.equal(errors.filter((e) => e.startsWith('Unknown transaction id: ')).length, 1, errors.join());
    assert.equal(errors.filter((e) => e === 'error proxying request to ').length, 1, errors.join());
  });
});
