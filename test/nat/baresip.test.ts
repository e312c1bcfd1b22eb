/**
 * A real softphone behind NAT: Debian's baresip-core (headless: tone from a WAV file, audio out
 * to nowhere) behind each NAT type registers with Palisade's local registrar (digest) and calls
 * the carrier as that registered device; RTP must reach both baresip and the carrier.
 */
import assert from 'node:assert/strict';
import { requireNatLab } from '../support/nat-lab/availability';
import { baresipAvailable, startBaresip } from '../support/nat-lab/baresip';
import { buildLab, SBC_ADDRESS, type Lab } from '../support/nat-lab/lab';
import type { NatType } from '../support/nat-lab/home-router';
import { startPalisadeIn, type NsPalisade } from '../support/nat-lab/ns-palisade';
import {
  mediaCounters,
  readMedia,
  startCarrierUas,
  twoWay,
  UA_MEDIA_PORT,
} from '../support/nat-lab/lab-call';
import { LAB_PASSWORD, LAB_REGISTRAR_YAML, LAB_USER } from '../support/nat-lab/lab-register';

describe('NAT lab: baresip behind NAT', function () {
  this.timeout(90_000);
  let lab: Lab | undefined;
  let sbc: NsPalisade | undefined;

  before(async function () {
    await requireNatLab(this);
    if (!baresipAvailable()) {
      console.log('      baresip tests skipped: baresip-core is not installed');
      this.skip();
    }
  });

  afterEach(async () => {
    await sbc?.stop();
    await lab?.destroy();
    sbc = undefined;
    lab = undefined;
  });

  for (const nat of ['port-preserving', 'symmetric'] as NatType[]) {
    it(`baresip behind a ${nat} NAT registers and calls the carrier with two-way audio`, async () => {
      lab = await buildLab([{ nat }]);
      const home = lab.home(1);
      sbc = await startPalisadeIn(lab, { extraYaml: LAB_REGISTRAR_YAML });
      const media = await mediaCounters(lab, home);
      const carrier = await startCarrierUas(lab);
      const phone = startBaresip(lab, home, {
        aor: `sip:${LAB_USER}@${SBC_ADDRESS}`,
        password: LAB_PASSWORD,
        register: true,
        commands: [`/dial sip:15550001@${SBC_ADDRESS}`],
        quitAfterSeconds: 8,
        rtpPort: UA_MEDIA_PORT,
      });
      await phone.exited;
      const far = await carrier.stop();
      const log = phone.stdout();
      assert.match(log, /200 OK \([^)]*\) \[1 binding\]/, `baresip did not register:\n${log}`);
      assert.match(log, /Call established/, `the call was not established:\n${log}`);
      assert.equal(far.exitCode, 0, `the carrier's side failed: ${far.errors}`);
      const m = await readMedia(media);
      assert.ok(twoWay(m), `one-way or no audio: ${JSON.stringify(m)}\n${log}`);
    });
  }
});
