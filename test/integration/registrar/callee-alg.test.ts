/**
 * ALG evidence on the callee side (issue 7 point 6) with the real engine, rtpengine and sipp: a
 * registered device whose 200 OK names its own (public) socket in Contact while its SDP still
 * says 192.168.1.20 — what a router ALG that rewrote only the Contact leaves — is listed as an
 * ALG suspect with the evidence logged once for that Call-ID; the call still works. Negative
 * control: a device answering with consistent addresses is not listed. Loopback counts as public
 * here (`nat.publicNetworks`), as the device's REGISTER gives no evidence of its own.
 */
import assert from 'node:assert/strict';
import { eventually, httpGet } from '../../support/http';
import type { TestSbc } from '../../support/sbc';
import { Peers } from '../sbc/sbc-fixture';
import { LOCAL_REGISTRAR, carrierCall, explain, startDevice, startRegistrarSbc } from './registrar-fixture';

async function suspects(sbc: TestSbc): Promise<{ client: string; signals: string[] }[]> {
  const r = await httpGet(`${sbc.opsUrl}/admin/nat/alg-suspects`);
  assert.equal(r.status, 200, r.body);
  return (JSON.parse(r.body) as { suspects: { client: string; signals: string[] }[] }).suspects;
}

describe('ALG evidence from a registered device’s answer (engine + rtpengine + sipp)', function () {
  this.timeout(60_000);
  const peers = new Peers();
  afterEach(() => peers.stop());

  async function callDevice(answering: string): Promise<TestSbc> {
    const running = (peers.sbc = await startRegistrarSbc({
      registrar: `${LOCAL_REGISTRAR}\nnat: { publicNetworks: [ 127.0.0.0/8 ] }`,
    }));
    const dev = startDevice(running, { user: 'alice', transport: 'u1', upMs: 5000, answering });
    await eventually(async () => {
      assert.equal((await running.internals.state.getBindings('sip:alice@127.0.0.1')).length, 1);
    }, 10_000);
    const call = await carrierCall(running, 'alice');
    assert.equal(call.outcome, 'all-succeeded', explain(call));
    const d = await dev;
    assert.equal(d.outcome, 'all-succeeded', explain(d));
    return running;
  }

  it('Contact rewritten, SDP private: the device’s client is listed, the evidence logged once', async () => {
    const running = await callDevice('reg-uas-device-alg.xml');
    const listed = await eventually(async () => {
      const s = (await suspects(running)).find((x) => x.client === '127.0.0.1');
      assert.ok(s, 'listed');
      return s;
    }, 5000);
    assert.ok(listed.signals.includes('partial-rewrite'), listed.signals.join(', '));
    assert.ok(listed.signals.includes('contact-sdp-mismatch'), listed.signals.join(', '));
    const lines = running.logs.filter((l) => l.msg === 'SIP ALG evidence');
    assert.equal(lines.length, 1, JSON.stringify(lines));
  });

  it('negative control: consistent addresses in the answer leave no suspect', async () => {
    const running = await callDevice('reg-uas-device.xml');
    await new Promise((r) => setTimeout(r, 500));
    assert.deepEqual(await suspects(running), []);
    assert.equal(running.logs.filter((l) => l.msg === 'SIP ALG evidence').length, 0);
  });
});
