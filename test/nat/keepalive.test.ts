/**
 * Inbound calls after the NAT mapping would have expired (issue 7 points 2 and 4): the home NAT
 * forgets an idle UDP mapping after 6 s (conntrack timeout); the registered UA stays silent for
 * well over that. With Palisade's keepalives (OPTIONS every 2 s over the UA's flow) the
 * carrier's call still reaches the UA and is answered; with keepalives switched off the very same check fails,
 * and the home router shows it dropped Palisade's INVITE as unsolicited.
 */
import assert from 'node:assert/strict';
import { requireNatLab } from '../support/nat-lab/availability';
import { buildLab, type Lab } from '../support/nat-lab/lab';
import { startPalisadeIn, type NsPalisade } from '../support/nat-lab/ns-palisade';
import { carrierCall, LAB_REGISTRAR_YAML, startRegisteredUa } from '../support/nat-lab/lab-register';
import type { NsSipp } from '../support/nat-lab/ns-sipp';

const MAPPING_LIFETIME_S = 6;
const SILENCE_MS = 15_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function keepaliveYaml(keepalive: boolean): string {
  return keepalive
    ? 'keepalive: { mode: fixed, intervalSeconds: 2, minSeconds: 1, timeoutSeconds: 2 }'
    : 'keepalive: { enabled: false }';
}

interface InboundOutcome {
  /** The check: the carrier's call reached the UA behind its NAT and was answered. */
  answered: boolean;
  droppedByNat: number;
}

describe('NAT lab: inbound calls after the NAT mapping would have expired', function () {
  this.timeout(120_000);
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

  /** Register behind a symmetric NAT with a short mapping lifetime, stay silent, get called. */
  async function inboundAfterSilence(keepalive: boolean): Promise<InboundOutcome> {
    lab = await buildLab([{ nat: 'symmetric', udpTimeoutSeconds: MAPPING_LIFETIME_S }]);
    const home = lab.home(1);
    sbc = await startPalisadeIn(lab, { extraYaml: LAB_REGISTRAR_YAML, nat: keepaliveYaml(keepalive) });
    ua = await startRegisteredUa(lab, home);
    await sleep(SILENCE_MS); // the UA sends nothing by itself from now on
    const dropsBefore = await home.unsolicitedDrops();
    const call = await carrierCall(lab);
    return {
      answered: call.exitCode === 0,
      droppedByNat: (await home.unsolicitedDrops()) - dropsBefore,
    };
  }

  it('with keepalives the call reaches the UA and is answered after 15 s of silence behind a 6 s mapping', async () => {
    const outcome = await inboundAfterSilence(true);
    assert.equal(outcome.answered, true, 'the call did not reach the UA');
    assert.match(ua!.messages(), /received[^\n]*\n\nINVITE sip:/);
    assert.match(ua!.messages(), /received[^\n]*\n\nOPTIONS sip:/, 'no keepalive reached the UA');
    // the flow is listed by the ops server with the NAT's public address and answered keepalives
    const r = await sbc!.get('/admin/nat/flows');
    const flows = (JSON.parse(r.body) as { flows: { flow: string; answered: number }[] }).flows;
    const flow = flows.find((f) => f.flow.includes(lab!.home(1).wan));
    assert.ok(flow !== undefined && flow.answered > 0, `flows: ${r.body}`);
  });

  it('negative control: with keepalives off the same check fails and the NAT drops the INVITE', async () => {
    const outcome = await inboundAfterSilence(false);
    assert.equal(outcome.answered, false, 'the call was answered although the mapping had expired');
    assert.ok(outcome.droppedByNat > 0, 'the home router dropped nothing: the mapping did not expire');
    assert.doesNotMatch(ua!.messages(), /received[^\n]*\n\nINVITE sip:/);
  });
});
