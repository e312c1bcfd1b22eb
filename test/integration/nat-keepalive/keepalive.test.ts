/**
 * Keepalives through the whole SBC on loopback: a NATed binding (as the registrar reports it)
 * gets OPTIONS sent to its private Contact through its flow (the phone's real socket), the
 * adaptive interval grows while answered and is visible on `GET /admin/nat/flows`; a phone that
 * stops answering is reported unreachable. Negative control: a public binding gets none.
 */
import assert from 'node:assert/strict';
import { eventually, httpGet } from '../../support/http';
import { runCli } from '../../../lib/cli/main';
import { flows, KeepaliveLab, phoneBinding } from './keepalive-fixture';

describe('NAT keepalives through the SBC (loopback)', function () {
  this.timeout(40_000);
  const lab = new KeepaliveLab();
  afterEach(() => lab.stop());

  it('OPTIONS through the flow, growing interval shown per flow, unreachable when it stops answering', async () => {
    const sbc = await lab.start(
      'ka-test',
      '{ intervalSeconds: 2, minSeconds: 1, maxSeconds: 4, timeoutSeconds: 1, maxMissed: 3 }',
      true,
    );
    const p = await lab.nattedPhone('ka-test');
    const grown = await eventually(async () => {
      const [f] = await flows(sbc);
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
      const [f] = await flows(sbc);
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
    const sbc = await lab.start('ka-test', '{ intervalSeconds: 1, minSeconds: 1 }');
    const pub = await lab.phone();
    const gone = await lab.phone();
    sbc.internals.nat.bindings.bound(phoneBinding(pub.port, 'ka-test'), { natted: false, signals: [] });
    sbc.internals.nat.bindings.bound(phoneBinding(gone.port, 'ka-test'), {
      natted: true,
      signals: ['contact-internal'],
    });
    sbc.internals.nat.bindings.unbound(phoneBinding(gone.port, 'ka-test'), 'removed');
    await new Promise((r) => setTimeout(r, 2500));
    assert.deepEqual([pub.options, gone.options], [0, 0]);
    assert.deepEqual(await flows(sbc), []);
  });
});
