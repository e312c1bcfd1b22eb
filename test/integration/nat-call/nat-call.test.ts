/**
 * NAT traversal and ALG detection through the whole SBC on loopback (real engine, rtpengine,
 * sipp callee with RTP echo): a phone whose Via/Contact/SDP say 192.168.1.20 while it sends from
 * 127.0.0.1 is detected as NATed, its media latches (RTP both ways although its SDP names an
 * unreachable address and port), and the callee's re-INVITE and BYE reach it through its flow;
 * an ALG-like phone (Via public, Contact/o= private) becomes an ALG suspect over HTTP and in the
 * metrics while its call still works; a clean phone is neither (negative control).
 */
import assert from 'node:assert/strict';
import { eventually, httpGet, metricValue } from '../../support/http';
import { startSippUas } from '../../support/sipp';
import { freeRtpPortPair } from '../../support/sipp-rtp';
import { startTestSbc, type TestSbc } from '../../support/sbc';
import { Peers, sbcLog, waitReady } from '../sbc/sbc-fixture';
import { NatPhone } from './nat-phone';
import { runCli } from '../../../lib/cli/main';

interface Suspects {
  suspects: { client: string; signals: string[]; evidence: string[]; userAgent?: string }[];
}

/** A sample's value; 0 when absent (a counter never incremented). */
async function metric(sbc: TestSbc, line: RegExp): Promise<number> {
  return (await metricValue(sbc.opsUrl, line)) ?? 0;
}

async function suspects(sbc: TestSbc): Promise<Suspects['suspects']> {
  const r = await httpGet(`${sbc.opsUrl}/admin/nat/alg-suspects`);
  assert.equal(r.status, 200, r.body);
  return (JSON.parse(r.body) as Suspects).suspects;
}

describe('NAT traversal through the SBC (loopback)', function () {
  this.timeout(40_000);
  const peers = new Peers();
  const phones: NatPhone[] = [];
  afterEach(async () => {
    for (const p of phones.splice(0)) p.close();
    await peers.stop();
  });

  async function start(natYaml: string): Promise<{ sbc: TestSbc }> {
    const callee = peers.add(
      await startSippUas({
        scenario: 'nat-uas-reinvite-bye.xml',
        mediaPort: await freeRtpPortPair(),
        rtpEcho: true,
      }),
    );
    const sbc = (peers.sbc = await startTestSbc({
      carrierPort: callee.port,
      capture: true,
      extraYaml: natYaml,
    }));
    await waitReady(sbc);
    return { sbc };
  }

  async function phone(sbc: TestSbc, look: Parameters<typeof NatPhone.open>[1]): Promise<NatPhone> {
    const p = await NatPhone.open(sbc.sipPort, look);
    phones.push(p);
    return p;
  }

  it('a phone writing 192.168.1.20 is NATed: RTP both ways by latching, re-INVITE and BYE reach it via its flow', async () => {
    const { sbc } = await start('nat: { alg: { mediaCheckSeconds: 1 } }');
    const p = await phone(sbc, {
      via: { host: '192.168.1.20', port: 5060 },
      contactHost: '192.168.1.20',
      contactPort: 5060,
      connection: '192.168.1.20',
      mediaPort: 4000, // neither the address nor the port is where its RTP comes from
    });
    const ok = await p.invite();
    assert.match(ok.text, /^Contact: <sip:pst-[A-Za-z0-9_-]{22}@127\.0\.0\.1:\d+>\r$/m, 'signed Contact');
    await p.streamRtp(2500);
    const bye = await p.waitFor(() => p.receivedRequests('BYE')[0], 15_000);
    assert.equal(bye.from.port, sbc.sipPort, 'BYE from the SBC on the flow');
    assert.equal(p.receivedRequests('INVITE').length, 1, 're-INVITE relayed to the phone');
    assert.ok(
      p.rtp.received.length > 20,
      `RTP echoed back to the phone: ${p.rtp.received.length}\n${sbcLog(sbc)}`,
    );
    const cdr = await eventually(() => {
      const found = sbc.cdrs()[0];
      assert.ok(found, 'one CDR');
      return found;
    });
    assert.ok(cdr.media && cdr.media.callerToCallee.packets > 20, JSON.stringify(cdr.media));
    assert.equal(cdr.nat?.natted, true);
    assert.ok(cdr.nat.signals.includes('contact-internal'), cdr.nat.signals.join());
    assert.ok(cdr.nat.signals.includes('sdp-connection-internal'), cdr.nat.signals.join());
    assert.equal(await metric(sbc, /^palisade_nat_clients_total\{type="nat"\}/), 1);
    assert.deepEqual(await suspects(sbc), [], 'a NATed phone without an ALG is no suspect');
  });

  it('an ALG-like phone (Via public, Contact/o= private) is listed as suspect; its call still works', async () => {
    const { sbc } = await start('nat: { publicNetworks: [ 127.0.0.0/8 ] }');
    const p = await phone(sbc, {
      contactHost: '192.168.1.20',
      contactPort: 5060,
      origin: '192.168.1.20',
      userAgent: 'Yealink SIP-T46S 66.86.0.15',
      mangleRuri: true,
    });
    await p.invite();
    await p.streamRtp(1000);
    const list = await eventually(async () => {
      const l = await suspects(sbc);
      assert.equal(l.length, 1, sbcLog(sbc));
      return l;
    });
    const [first] = list;
    assert.ok(first);
    assert.equal(first.client, '127.0.0.1');
    // From the INVITE; the ACK's mangled Request-URI may already have added signed-param-altered.
    assert.deepEqual(
      first.signals.filter((s) => s !== 'signed-param-altered'),
      ['partial-rewrite', 'contact-sdp-mismatch'],
    );
    assert.equal(first.userAgent, 'Yealink SIP-T46S 66.86.0.15');
    const out: string[] = [];
    const code = await runCli(['nat', 'alg-suspects', '--ops', sbc.opsUrl], {
      out: (l) => out.push(l),
      err: (l) => out.push(l),
    });
    assert.equal(code, 0, out.join('\n'));
    assert.match(out[0] ?? '', /^127\.0\.0\.1 {2}signals=partial-rewrite,contact-sdp-mismatch/);
    assert.ok(
      out.some((l) => l.includes('partial-rewrite: Via 127.0.0.1 = source, Contact 192.168.1.20')),
      out.join('\n'),
    );
    assert.ok(
      sbc.logs.some((l) => l.level === 'warn' && l.msg.startsWith('SIP ALG suspected')),
      'one log line',
    );
    assert.equal(await metric(sbc, /^palisade_alg_suspected_total\{signal="partial-rewrite"\}/), 1);
    assert.ok(p.rtp.received.length > 10, `RTP both ways through the ALG: ${p.rtp.received.length}`);
    // The phone (its "ALG") drops our signed parameter from the Request-URI of its BYE.
    await p.waitFor(() => p.receivedRequests('INVITE')[0], 10_000);
    p.bye();
    await p.waitFor(() => p.responses.find((r) => / BYE$/m.test(r.text) && r.text.startsWith('SIP/2.0 200')));
    await eventually(async () => {
      assert.equal(
        await metric(sbc, /^palisade_alg_evidence_total\{signal="signed-param-altered"\}/),
        1,
        'once per call',
      );
    });
    assert.ok(sbc.logs.some((l) => l.msg === 'signed Contact parameter came back altered'));
  });

  it('negative control: a clean public phone is neither NATed nor suspected', async () => {
    const { sbc } = await start('nat: { publicNetworks: [ 127.0.0.0/8 ] }');
    const p = await phone(sbc, { userAgent: 'Yealink SIP-T46S 66.86.0.15' });
    await p.invite();
    await p.streamRtp(1500);
    await p.waitFor(() => p.receivedRequests('BYE')[0], 15_000);
    assert.ok(p.rtp.received.length > 20, `RTP both ways: ${p.rtp.received.length}`);
    const cdr = await eventually(() => {
      const found = sbc.cdrs()[0];
      assert.ok(found, 'one CDR');
      return found;
    });
    assert.deepEqual(cdr.nat, { natted: false, signals: [] });
    assert.equal(await metric(sbc, /^palisade_nat_clients_total\{type="public"\}/), 1);
    assert.deepEqual(await suspects(sbc), []);
    assert.equal(await metric(sbc, /^palisade_alg_evidence_total/), 0);
  });
});
