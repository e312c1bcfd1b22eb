/**
 * End to end through the NAT lab with Palisade's local registrar: a sipp UA behind each NAT type
 * registers (digest: 401, then 200) through its NAT; Palisade keeps the binding's flow (the
 * NAT's public address and port, never the private Contact). The UA then calls the carrier as
 * that registered device over the same flow (two-way RTP, re-INVITE both ways, BYE from the
 * carrier), and a call from the carrier (route `to: registered`) reaches the UA through that
 * flow only, with two-way RTP.
 */
import assert from 'node:assert/strict';
import { requireNatLab } from '../support/nat-lab/availability';
import { buildLab, type Lab } from '../support/nat-lab/lab';
import type { NatType } from '../support/nat-lab/home-router';
import { startPalisadeIn, type NsPalisade } from '../support/nat-lab/ns-palisade';
import {
  mediaCounters,
  readMedia,
  startCarrierUas,
  twoWay,
  uaCall,
  UA_SIP_PORT,
} from '../support/nat-lab/lab-call';
import {
  carrierCall,
  LAB_REGISTRAR_YAML,
  LAB_USER,
  startRegisteredUa,
  uaRegister,
} from '../support/nat-lab/lab-register';
import type { NsSipp } from '../support/nat-lab/ns-sipp';

interface FlowView {
  flow: string;
  aors: string[];
}

async function flows(sbc: NsPalisade): Promise<FlowView[]> {
  const r = await sbc.get('/admin/nat/flows');
  assert.equal(r.status, 200, r.body);
  return (JSON.parse(r.body) as { flows: FlowView[] }).flows;
}

describe('NAT lab: registered UAs behind NAT', function () {
  this.timeout(90_000);
  let lab: Lab | undefined;
  let sbc: NsPalisade | undefined;
  let ua: NsSipp | undefined;

  before(async function () {
    await requireNatLab(this);
  });

  afterEach(async () => {
    await ua?.stop(500);
    await sbc?.stop();
    await lab?.destroy();
    ua = undefined;
    sbc = undefined;
    lab = undefined;
  });

  for (const nat of ['port-preserving', 'symmetric'] as NatType[]) {
    describe(`behind a ${nat} NAT`, () => {
      it("registers with digest auth; the binding's flow is the NAT's public address and port", async () => {
        lab = await buildLab([{ nat }]);
        const home = lab.home(1);
        sbc = await startPalisadeIn(lab, { extraYaml: LAB_REGISTRAR_YAML });
        const reg = await uaRegister(lab, home);
        assert.equal(reg.exitCode, 0, `registration failed: ${reg.errors}\n${reg.messages.slice(-1500)}`);
        assert.match(reg.messages, /received[^\n]*\n\nSIP\/2\.0 401/, 'no digest challenge');
        const flow = (await flows(sbc)).find((f) => f.flow.includes(home.wan));
        assert.ok(flow !== undefined, `no flow of ${home.wan}: ${JSON.stringify(await flows(sbc))}`);
        // "udp:<public address>:<public port>@<Palisade's socket>"
        const port = Number(/^[a-z]+:[\d.]+:(\d+)@/.exec(flow.flow)?.[1]);
        if (nat === 'port-preserving') assert.equal(port, UA_SIP_PORT, flow.flow);
        else assert.notEqual(port, UA_SIP_PORT, `the symmetric NAT kept the port: ${flow.flow}`);
      });

      it('registers, then calls the carrier over its flow: two-way RTP, re-INVITE both ways, BYE from the carrier', async () => {
        lab = await buildLab([{ nat }]);
        const home = lab.home(1);
        sbc = await startPalisadeIn(lab, { extraYaml: LAB_REGISTRAR_YAML });
        const reg = await uaRegister(lab, home);
        assert.equal(reg.exitCode, 0, `registration failed: ${reg.errors}\n${reg.messages.slice(-1500)}`);
        const media = await mediaCounters(lab, home);
        const carrier = await startCarrierUas(lab, 'carrier-reinvite-bye.xml');
        // the same local port as the registration: the same NAT mapping, so the same flow
        const call = await uaCall(lab, home, {
          scenario: 'ua-call-reinvite-both.xml',
          caller: LAB_USER,
          pauseMs: 2000,
        });
        const far = await carrier.stop();
        assert.equal(call.exitCode, 0, `the UA's side failed: ${call.errors}\n${call.output}`);
        assert.equal(far.exitCode, 0, `the carrier's side failed: ${far.errors}`);
        const m = await readMedia(media);
        assert.ok(twoWay(m), `one-way or no audio: ${JSON.stringify(m)}`);
      });

      it('receives a call from the carrier through its NAT flow, answers it, and the carrier hangs up', async () => {
        lab = await buildLab([{ nat }]);
        const home = lab.home(1);
        sbc = await startPalisadeIn(lab, { extraYaml: LAB_REGISTRAR_YAML });
        ua = await startRegisteredUa(lab, home);
        const media = await mediaCounters(lab, home);
        const call = await carrierCall(lab);
        assert.equal(
          call.exitCode,
          0,
          `the carrier's call failed: ${call.errors}\n${call.messages.slice(-2000)}`,
        );
        const seen = ua.messages();
        assert.match(seen, /received[^\n]*\n\nINVITE sip:/, 'the INVITE did not reach the UA');
        assert.match(seen, /received[^\n]*\n\nBYE sip:/, "the carrier's BYE did not reach the UA");
        // The UA streams a tone, the carrier echoes it: both ends must receive RTP. (An offer with
        // "to-tag": "" once left the UA's RTP on an orphan rtpengine port: 0 packets reached it.)
        const m = await readMedia(media);
        assert.ok(twoWay(m), `one-way or no audio: ${JSON.stringify(m)}`);
      });
    });
  }
});
