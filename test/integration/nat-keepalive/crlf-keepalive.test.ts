/**
 * CRLF keepalives (`nat.keepalive.method: crlf`, RFC 5626 §4.4.1) through the whole SBC on
 * loopback: the app's private OPTIONS (X-Palisade-Keepalive: crlf) becomes a bare CRLFCRLF on the
 * NATed binding's flow — nothing else reaches the phone, the private header never goes on the
 * wire — at a fixed interval (a CRLF ping gets no answer to learn from), shown per flow and
 * counted. Negative control: with `options` the same phone gets OPTIONS and no CRLF.
 */
import assert from 'node:assert/strict';
import { eventually, httpGet } from '../../support/http';
import { flows, KeepaliveLab } from './keepalive-fixture';

const keepalive = (method: 'crlf' | 'options'): string =>
  `{ method: ${method}, intervalSeconds: 1, minSeconds: 1, maxSeconds: 4 }`;

describe('CRLF keepalives through the SBC (loopback)', function () {
  this.timeout(40_000);
  const lab = new KeepaliveLab();
  afterEach(() => lab.stop());

  it('writes only CRLFCRLF on the flow, at a fixed interval, never the private OPTIONS', async () => {
    const sbc = await lab.start('crlf-test', keepalive('crlf'));
    const p = await lab.nattedPhone('crlf-test');
    await eventually(() => {
      assert.ok(p.packets.length >= 3, `${p.packets.length} packets`);
    }, 15_000);
    assert.deepEqual(new Set(p.packets), new Set(['\r\n\r\n']), 'nothing but CRLF pings');
    const [flow] = await flows(sbc);
    assert.equal(flow?.intervalSeconds, 1, 'fixed: the interval does not grow');
    const metrics = (await httpGet(`${sbc.opsUrl}/metrics`)).body;
    assert.match(metrics, /^palisade_nat_keepalives_sent_total\{method="crlf",mode="fixed"\} [1-9]\d*$/m);
  });

  it('negative control: options keepalives reach the phone as OPTIONS, no CRLF ping', async () => {
    await lab.start('crlf-test', keepalive('options'));
    const p = await lab.nattedPhone('crlf-test');
    await eventually(() => {
      assert.ok(p.packets.length >= 2, `${p.packets.length} packets`);
    }, 15_000);
    assert.ok(p.packets.every((t) => t.startsWith('OPTIONS sip:phone@192.168.1.20:5060 ')));
    assert.ok(p.packets.every((t) => !/x-palisade-keepalive/i.test(t)));
  });
});
