/**
 * CDR events (protocol doc §4.3) for what the engine proxies or makes up itself: a proxied INVITE
 * (attempt per branch, start proxy-uac/proxy-uas on a 2xx, stop for a failed branch and for the
 * failure forwarded upstream), the synthesized 408/503 finals of an app's INVITE that got no
 * response, and the engine's own 503 for an INVITE no app routed.
 */
import assert from 'node:assert/strict';
import type Srf from 'drachtio-srf';
import { runSipp, startSippUas, type SippUas } from '../../support/sipp';
import { startTestEngine, type TestEngine } from '../../support/engine';
import { eventually } from '../../support/http';
import { freeTcpPort, freeUdpPort } from '../../support/ports';

const SDP = [
  'v=0',
  'o=- 1 1 IN IP4 127.0.0.1',
  's=-',
  'c=IN IP4 127.0.0.1',
  't=0 0',
  'm=audio 30000 RTP/AVP 0',
  '',
].join('\r\n');

type Row = [type: string, source: string, detail: string, first: string];

const firstLine = (msg: Srf.SipMessage): string => {
  const m = msg as unknown as { method?: string; status?: number };
  return m.method ?? String(m.status ?? '');
};

describe('CDR events for proxied INVITEs and engine-made finals', function () {
  this.timeout(60_000);
  let t: TestEngine;
  let rows: Row[];
  const uases: SippUas[] = [];
  beforeEach(async () => {
    t = await startTestEngine(undefined, { maxEventLoopDelayMs: 0 });
    rows = [];
    await t.connectApp((srf) => {
      srf.on('cdr:attempt', (source, _time, msg) => rows.push(['attempt', source, '', firstLine(msg)]));
      srf.on('cdr:start', (source, _time, role, msg) => rows.push(['start', source, role, firstLine(msg)]));
      srf.on('cdr:stop', (source, _time, reason, msg) => rows.push(['stop', source, reason, firstLine(msg)]));
    });
  });
  afterEach(async () => {
    for (const u of uases.splice(0)) await u.stop(500);
    await t.close();
  });

  async function proxyTo(scenario: string): Promise<void> {
    const uas = await startSippUas({ scenario, calls: 1 });
    uases.push(uas);
    await t.connectApp((srf) => {
      srf.invite((req) => {
        srf.proxyRequest(
          req,
          [`sip:callee@127.0.0.1:${uas.port}`],
          { remainInDialog: true },
          () => undefined,
        );
      });
    });
  }

  const call = async (scenario: string): Promise<void> => {
    const r = await runSipp({
      scenario,
      remote: { host: '127.0.0.1', port: t.sipPort },
      calls: 1,
      timeoutMs: 15_000,
    });
    assert.equal(r.outcome, 'all-succeeded', r.output + r.errors);
  };

  it('proxied INVITE answered: attempt per leg, start as proxy-uac and proxy-uas, stop on the relayed BYE', async () => {
    await proxyTo('invite-uas.xml');
    await call('invite-uac.xml');
    await eventually(() => {
      assert.deepEqual(rows, [
        ['attempt', 'network', '', 'INVITE'],
        ['attempt', 'application', '', 'INVITE'],
        ['start', 'network', 'proxy-uac', '200'],
        ['start', 'application', 'proxy-uas', '200'],
        ['stop', 'network', 'normal-release', 'BYE'],
      ]);
    });
  });

  it('proxied INVITE rejected: stop for the branch’s 486 (network) and for the 486 sent upstream', async () => {
    await proxyTo('invite-uas-busy.xml');
    await call('invite-uac-expect-error.xml');
    await eventually(() => {
      assert.deepEqual(rows, [
        ['attempt', 'network', '', 'INVITE'],
        ['attempt', 'application', '', 'INVITE'],
        ['stop', 'network', 'call-rejected', '486'],
        ['stop', 'application', 'call-rejected', '486'],
      ]);
    });
  });

  it('an INVITE no app routed: attempt, then stop with the engine’s 503', async () => {
    await call('invite-uac-expect-error.xml');
    await eventually(() => {
      assert.deepEqual(rows, [
        ['attempt', 'network', '', 'INVITE'],
        ['stop', 'application', 'call-rejected', '503'],
      ]);
    });
  });

  for (const [what, transport, status] of [
    ['a refused TCP connection: 503', 'tcp', '503'],
    ['no answer over UDP (Timer B): 408', 'udp', '408'],
  ] as const) {
    it(`an app INVITE with no response, ${what}: attempt, then stop with the synthesized final`, async () => {
      const srf = await t.connectApp();
      const port = transport === 'tcp' ? await freeTcpPort() : await freeUdpPort();
      const err = await srf
        .createUAC(`sip:nobody@127.0.0.1:${port};transport=${transport}`, { localSdp: SDP })
        .then(
          () => undefined,
          (e: unknown) => e as { status?: number },
        );
      assert.equal(String(err?.status), status);
      await eventually(() => {
        assert.deepEqual(rows, [
          ['attempt', 'application', '', 'INVITE'],
          ['stop', 'application', 'call-rejected', status],
        ]);
      });
    });
  }
});
