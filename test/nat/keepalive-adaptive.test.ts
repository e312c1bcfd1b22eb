/**
 * Adaptive keepalives against a real NAT (issue 7 point 4): the home router forgets an idle UDP
 * mapping after 6 s; Palisade starts at 2 s and grows the interval ×1.5 while keepalives are
 * answered (2, 3, 4.5 s), loses the mapping at 6.75 s (keepalive and its retry unanswered) and
 * falls back to 80 % of the longest answered interval. The UA's next REGISTER re-creates the
 * mapping; from then on Palisade keeps it alive at the learnt interval, so after twice the
 * mapping lifetime of silence (12 s since its re-REGISTER) the carrier's call still reaches the UA. `/admin/nat/flows` shows
 * what was learnt: lifetime at least 4.5 s, at most 6.75 s, interval below the NAT's 6 s.
 */
import assert from 'node:assert/strict';
import { requireNatLab } from '../support/nat-lab/availability';
import { buildLab, type Lab } from '../support/nat-lab/lab';
import { startPalisadeIn, type NsPalisade } from '../support/nat-lab/ns-palisade';
import { carrierCall, LAB_REGISTRAR_YAML, startRegisteredUa } from '../support/nat-lab/lab-register';
import type { NsSipp } from '../support/nat-lab/ns-sipp';
import { eventually } from '../support/http';

const MAPPING_LIFETIME_S = 6;
/** Learning takes 2 + 3 + 4.5 + 6.75 s plus a 1 s timeout and a 1 s retry: ~18 s. */
const REREGISTER_AFTER_MS = 22_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, Math.max(0, ms)));

interface FlowView {
  flow: string;
  mode: string;
  phase: string;
  intervalSeconds: number;
  lifetime: { atLeastSeconds: number | null; atMostSeconds: number | null };
  answered: number;
  missed: number;
}

async function flowOf(sbc: NsPalisade, wan: string): Promise<FlowView | undefined> {
  const r = await sbc.get('/admin/nat/flows');
  assert.equal(r.status, 200, r.body);
  return (JSON.parse(r.body) as { flows: FlowView[] }).flows.find((f) => f.flow.includes(wan));
}

describe('NAT lab: adaptive keepalives learn the NAT mapping lifetime', function () {
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

  it('learns a lifetime bracketing the NAT timeout, keeps the interval under it, and the inbound call arrives', async () => {
    lab = await buildLab([{ nat: 'port-preserving', udpTimeoutSeconds: MAPPING_LIFETIME_S }]);
    const home = lab.home(1);
    sbc = await startPalisadeIn(lab, {
      extraYaml: LAB_REGISTRAR_YAML,
      nat: 'keepalive: { mode: adaptive, intervalSeconds: 2, minSeconds: 1, maxSeconds: 30, timeoutSeconds: 1 }',
    });
    ua = await startRegisteredUa(lab, home, {
      scenario: 'ua-register-refresh.xml',
      pauseMs: REREGISTER_AFTER_MS,
    });
    // the UA's own last packet: its re-REGISTER; after that only keepalives hold the mapping
    const silentFrom = Date.now() + REREGISTER_AFTER_MS;
    // the mapping was lost once (an upper bound is known) and the flow settled after the re-REGISTER
    const learnt = await eventually(
      async () => {
        const f = await flowOf(sbc!, home.wan);
        if (f?.lifetime.atMostSeconds == null || f.phase !== 'settled' || f.answered < 4)
          throw new Error(`not settled after a loss yet: ${JSON.stringify(f)}`);
        return f;
      },
      REREGISTER_AFTER_MS + 15_000,
      500,
    );
    assert.equal(learnt.mode, 'adaptive');
    const { atLeastSeconds, atMostSeconds } = learnt.lifetime;
    assert.ok(
      atLeastSeconds !== null && atLeastSeconds <= MAPPING_LIFETIME_S,
      `answered after longer than the NAT keeps a mapping: ${JSON.stringify(learnt)}`,
    );
    assert.ok(atMostSeconds !== null && atMostSeconds >= MAPPING_LIFETIME_S, JSON.stringify(learnt));
    assert.ok(
      learnt.intervalSeconds < MAPPING_LIFETIME_S,
      `interval above the lifetime: ${JSON.stringify(learnt)}`,
    );
    assert.ok(learnt.missed >= 2, `no loss was observed: ${JSON.stringify(learnt)}`);

    await sleep(silentFrom + 2 * MAPPING_LIFETIME_S * 1000 - Date.now());
    const drops = await home.unsolicitedDrops();
    const call = await carrierCall(lab);
    assert.equal(
      call.exitCode,
      0,
      `the carrier's call failed: ${call.errors}\n${call.messages.slice(-2000)}`,
    );
    assert.match(ua.messages(), /received[^\n]*\n\nINVITE sip:/, 'the INVITE did not reach the UA');
    assert.equal(await home.unsolicitedDrops(), drops, 'the NAT dropped packets for an expired mapping');
    const after = await flowOf(sbc, home.wan);
    assert.ok(after !== undefined && after.answered > learnt.answered, JSON.stringify(after));
  });
});
