/**
 * End to end through the NAT lab: a sipp UA behind each NAT type calls the carrier through
 * Palisade (in `sbc`, with its own rtpengine). Two-way RTP is counted where it arrives (at the
 * UA behind its NAT and at the carrier); in-dialog requests from the carrier (re-INVITE, BYE)
 * reach the UA only through its NAT flow, never at its private Contact.
 */
import assert from 'node:assert/strict';
import { requireNatLab } from '../support/nat-lab/availability';
import { buildLab, type Lab } from '../support/nat-lab/lab';
import type { NatType } from '../support/nat-lab/home-router';
import { startPalisadeIn, type NsPalisade } from '../support/nat-lab/ns-palisade';
import { mediaCounters, readMedia, startCarrierUas, twoWay, uaCall } from '../support/nat-lab/lab-call';
import { HOMES_AS_TRUNK } from '../support/nat-lab/lab-routing';

describe('NAT lab: calls from a UA behind NAT to the carrier', function () {
  this.timeout(90_000);
  let lab: Lab | undefined;
  let sbc: NsPalisade | undefined;

  before(async function () {
    await requireNatLab(this);
  });

  afterEach(async () => {
    await sbc?.stop();
    await lab?.destroy();
    sbc = undefined;
    lab = undefined;
  });

  for (const nat of ['port-preserving', 'symmetric'] as NatType[]) {
    describe(`behind a ${nat} NAT`, () => {
      it('a call has two-way RTP at both ends and the UA hangs up', async () => {
        lab = await buildLab([{ nat }]);
        const home = lab.home(1);
        sbc = await startPalisadeIn(lab, { routingYaml: HOMES_AS_TRUNK });
        const media = await mediaCounters(lab, home);
        const carrier = await startCarrierUas(lab);
        const ua = await uaCall(lab, home);
        const far = await carrier.stop();
        assert.equal(ua.exitCode, 0, `the UA's call failed: ${ua.errors}\n${ua.output}`);
        assert.equal(far.exitCode, 0, `the carrier's side failed: ${far.errors}`);
        const m = await readMedia(media);
        assert.ok(twoWay(m), `one-way or no audio: ${JSON.stringify(m)}`);
      });

      it('re-INVITEs from both sides and the carrier BYE cross the NAT, media stays two-way', async () => {
        lab = await buildLab([{ nat }]);
        const home = lab.home(1);
        sbc = await startPalisadeIn(lab, { routingYaml: HOMES_AS_TRUNK });
        const media = await mediaCounters(lab, home);
        const carrier = await startCarrierUas(lab, 'carrier-reinvite-bye.xml');
        const ua = await uaCall(lab, home, { scenario: 'ua-call-reinvite-both.xml', pauseMs: 2000 });
        const far = await carrier.stop();
        assert.equal(ua.exitCode, 0, `the UA's side failed: ${ua.errors}\n${ua.output}`);
        assert.equal(far.exitCode, 0, `the carrier's side failed: ${far.errors}`);
        // the carrier's re-INVITE and BYE reached the UA behind its NAT
        assert.match(ua.messages, /received[^\n]*\n\nINVITE sip:/);
        assert.match(ua.messages, /received[^\n]*\n\nBYE sip:/);
        const m = await readMedia(media);
        assert.ok(twoWay(m), `one-way or no audio: ${JSON.stringify(m)}`);
      });
    });
  }
});
