/**
 * Keepalives through the whole SBC on loopback: a NATed binding (as the registrar reports it)
 * gets OPTIONS sent to its private Contact through its flow (the phone's real socket), the
 * adaptive interval grows while answered and is visible on `GET /admin/nat/flows`; a phone that
 * stops answering is reported unreachable. Negative control: a public binding gets none.
 */
import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import { eventually, httpGet } from '../../support/http';
import { startTestSbc, type TestSbc } from '../../support/sbc';
import type { Binding } from '../../../lib/state/binding';
import type { FlowView } from '../../../lib/sbc/nat/keepalive/flow-view';
import { waitReady } from '../sbc/sbc-fixture';
import { runCli } from '../../../lib/cli/main';

interface Phone {
  port: number;
  options: number;
  answering: boolean;
  close(): void;
}

async function phone(): Promise<Phone> {
  const s = dgram.createSocket('udp4');
  await new Promise<void>((r) => s.bind(0, '127.0.0.1', r));
  const p: Phone = { port: s.address().port, options: 0, answering: true, close: () => s.close() };
  s.on('message', (msg, rinfo) => {
    const text = msg.toString('utf8');
    if (!text.startsWith('OPTIONS sip:phone@192.168.1.20:5060 ')) return;
    p.options++;
    if (!p.answering) return;
    const keep = text.split('\r\n').filter((l) => /^(via|from|to|call-id|cseq)\s*:/i.test(l));
    s.send(['SIP/2.0 200 OK', ...keep, 'Content-Length: 0', '', ''].join('\r\n'), rinfo.port, rinfo.address);
  });
  return p;
}

function binding(port: number): Binding {
  return {
    aor: 'sip:phone@example.com',
    contact: '<sip:phone@192.168.1.20:5060>',
    flow: {
      transport: 'udp',
      sourceAddress: '127.0.0.1',
      sourcePort: port,
      listenerId: 'udp',
      owner: 'ka-test',
    },
    path: [],
    expiresAt: Date.now() + 600_000,
  };
}

async function flows(sbc: TestSbc): Promise<FlowView[]> {
  const r = await httpGet(`${sbc.opsUrl}/admin/nat/flows`);
  assert.equal(r.status, 200, r.body);
  return (JSON.parse(r.body) as { flows: FlowView[] }).flows;
}

describe('NAT keepalives through the SBC (loopback)', function () {
  this.timeout(40_000);
  let sbc: TestSbc | undefined;
  const phones: Phone[] = [];
  afterEach(async () => {
    for (const p of phones.splice(0)) p.close();
    await sbc?.stop();
  });

  it('OPTIONS through the flow, growing interval shown per flow, unreachable when it stops answering', async () => {
    sbc = await startTestSbc({
      carrierPort: 9,
      capture: true,
      extraYaml: [
        'instance: { id: ka-test }',
        'nat: { keepalive: { intervalSeconds: 2, minSeconds: 1, maxSeconds: 4, timeoutSeconds: 1, maxMissed: 3 } }',
      ].join('\n'),
    });
    await waitReady(sbc);
    const p = await phone();
    phones.push(p);
    sbc.internals.nat.bindings.bound(binding(p.port), { natted: true, signals: ['contact-internal'] });
    const grown = await eventually(async () => {
      const [f] = await flows(sbc as TestSbc);
      assert.ok(f && f.answered >= 2, JSON.stringify(f));
      return f;
    }, 15_000);
    assert.equal(grown.flow, `udp:127.0.0.1:${p.port}@udp`);
    assert.deepEqual(grown.aors, ['sip:phone@example.com']);
    assert.ok(grown.intervalSeconds > 2, `interval grows while answered: ${grown.intervalSeconds}`);
    assert.ok((grown.lifetime.atLeastSeconds ?? 0) >= 2, JSON.stringify(grown.lifetime));
    assert.ok(p.options >= 2, `the phone got ${p.options} OPTIONS`);
    const out: string[] = [];
    const code = await runCli(['nat', 'flows', '--ops', sbc.opsUrl], {
      out: (l) => out.push(l),
      err: (l) => out.push(l),
    });
    assert.equal(code, 0, out.join('\n'));
    assert.match(
      out[0] ?? '',
      new RegExp(`^udp:127\\.0\\.0\\.1:${p.port}@udp  adaptive/\\w+  every [\\d.]+s  lifetime `),
    );
    p.answering = false;
    const lost = await eventually(async () => {
      const [f] = await flows(sbc as TestSbc);
      assert.ok(f?.unreachable, JSON.stringify(f));
      return f;
    }, 20_000);
    assert.ok(lost.missed >= 3);
    assert.notEqual(lost.lifetime.atMostSeconds, null, 'a bound on the mapping lifetime was learnt');
    assert.ok(sbc.logs.some((l) => l.msg === 'NATed flow unreachable: keepalives unanswered'));
    const metrics = (await httpGet(`${sbc.opsUrl}/metrics`)).body;
    assert.match(metrics, /^palisade_nat_flows_unreachable_total 1$/m);
    assert.match(metrics, /^palisade_nat_keepalives_sent_total\{method="options",mode="adaptive"\} \d+$/m);
  });

  it('negative control: a public binding and an unbound one get no keepalives', async () => {
    sbc = await startTestSbc({
      carrierPort: 9,
      extraYaml: [
        'instance: { id: ka-test }',
        'nat: { keepalive: { intervalSeconds: 1, minSeconds: 1 } }',
      ].join('\n'),
    });
    await waitReady(sbc);
    const pub = await phone();
    const gone = await phone();
    phones.push(pub, gone);
    sbc.internals.nat.bindings.bound(binding(pub.port), { natted: false, signals: [] });
    sbc.internals.nat.bindings.bound(binding(gone.port), { natted: true, signals: ['contact-internal'] });
    sbc.internals.nat.bindings.unbound(binding(gone.port), 'removed');
    await new Promise((r) => setTimeout(r, 2500));
    assert.deepEqual([pub.options, gone.options], [0, 0]);
    assert.deepEqual(await flows(sbc), []);
  });
});
