/**
 * Media latching is what gives a UA behind NAT two-way audio (issue 7 point 5), shown with its
 * negative control: the same call from behind a symmetric NAT with `nat.media.latching: true`
 * (the default) and `false` (a debugging switch: rtpengine trusts the SDP address and never
 * learns from RTP, `trust-address` + `asymmetric`). Off, rtpengine sends the carrier's audio to
 * the UA's private SDP address, which the lab's Internet drops: the carrier still hears the UA,
 * the UA hears nothing, so the two-way check fails.
 */
import assert from 'node:assert/strict';
import { requireNatLab } from '../support/nat-lab/availability';
import { buildLab, type Lab } from '../support/nat-lab/lab';
import { startPalisadeIn, type NsPalisade } from '../support/nat-lab/ns-palisade';
import {
  MIN_RTP_PACKETS,
  mediaCounters,
  readMedia,
  startCarrierUas,
  twoWay,
  uaCall,
  type MediaCount,
} from '../support/nat-lab/lab-call';
import { HOMES_AS_TRUNK } from '../support/nat-lab/lab-routing';

describe('NAT lab: media latching and its negative control', function () {
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

  /** One call from the UA behind a symmetric NAT to the carrier; RTP counted at both ends. */
  async function callWithLatching(latching: boolean): Promise<MediaCount> {
    lab = await buildLab([{ nat: 'symmetric' }]);
    const home = lab.home(1);
    sbc = await startPalisadeIn(lab, {
      routingYaml: HOMES_AS_TRUNK,
      nat: `media: { latching: ${String(latching)} }`,
    });
    const media = await mediaCounters(lab, home);
    const carrier = await startCarrierUas(lab);
    const ua = await uaCall(lab, home, { pauseMs: 2000 });
    const far = await carrier.stop();
    // signalling works either way: only the media path depends on latching
    assert.equal(ua.exitCode, 0, `the UA's call failed: ${ua.errors}\n${ua.output}`);
    assert.equal(far.exitCode, 0, `the carrier's side failed: ${far.errors}`);
    return readMedia(media);
  }

  it('latching on: two-way RTP', async () => {
    const m = await callWithLatching(true);
    assert.ok(twoWay(m), `one-way or no audio: ${JSON.stringify(m)}`);
  });

  it('latching off (negative control): the two-way check fails — the UA hears nothing', async () => {
    const m = await callWithLatching(false);
    assert.equal(twoWay(m), false, `two-way audio without latching: ${JSON.stringify(m)}`);
    // the direction that breaks is the one towards the NAT: the carrier still hears the UA
    assert.ok(m.toCarrier >= MIN_RTP_PACKETS, `no RTP reached the carrier: ${JSON.stringify(m)}`);
    assert.ok(m.toUa < MIN_RTP_PACKETS, JSON.stringify(m));
  });
});
