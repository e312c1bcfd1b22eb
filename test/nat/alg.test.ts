/**
 * SIP ALGs in the home router (issue 7 point 6). Calls through an ALG must still work (two-way
 * RTP). Palisade lists a client behind an ALG among the suspects (`GET /admin/nat/alg-suspects`)
 * and counts it (palisade_alg_suspected_total{signal}): the kernel's ALG (nf_nat_sip), which
 * rewrites Via, Contact, From and SDP consistently and leaves only the Call-ID's private host
 * (identity-private), and a broken userspace ALG that rewrites only the Via (broken-alg.ts,
 * partial-rewrite). Without an ALG the same flow leaves no suspect and no count (negative control).
 */
import assert from 'node:assert/strict';
import { requireNatLab } from '../support/nat-lab/availability';
import { buildLab, type Home, type Lab } from '../support/nat-lab/lab';
import { startPalisadeIn, type NsPalisade } from '../support/nat-lab/ns-palisade';
import { mediaCounters, readMedia, startCarrierUas, twoWay, uaCall } from '../support/nat-lab/lab-call';
import { HOMES_AS_TRUNK } from '../support/nat-lab/lab-routing';
import { eventually } from '../support/http';

interface Suspect {
  client: string;
  signals: string[];
}

async function suspects(sbc: NsPalisade): Promise<Suspect[]> {
  const r = await sbc.get('/admin/nat/alg-suspects');
  assert.equal(r.status, 200, r.body);
  return (JSON.parse(r.body) as { suspects: Suspect[] }).suspects;
}

async function algSuspectedTotal(sbc: NsPalisade): Promise<number> {
  return (await sbc.metric('palisade_alg_suspected_total')).reduce((sum, s) => sum + s.value, 0);
}

const listed = (list: Suspect[], home: Home): boolean => list.some((s) => s.client.startsWith(home.wan));

describe('NAT lab: SIP ALG in the home router', function () {
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

  /** Place `calls` calls through the home router; returns whether media was two-way. */
  async function callThroughRouter(
    alg: boolean | 'partial-rewrite',
    calls = 1,
    pauseMs = 6000, // past nat.alg.mediaCheckSeconds
  ): Promise<{ home: Home; twoWay: boolean }> {
    lab = await buildLab([
      alg === 'partial-rewrite'
        ? { nat: 'port-preserving', userspaceAlg: alg }
        : { nat: 'port-preserving', alg },
    ]);
    const home = lab.home(1);
    sbc = await startPalisadeIn(lab, { routingYaml: HOMES_AS_TRUNK });
    const media = await mediaCounters(lab, home);
    for (let i = 0; i < calls; i++) {
      const carrier = await startCarrierUas(lab);
      const call = await uaCall(lab, home, { pauseMs });
      const far = await carrier.stop();
      assert.equal(call.exitCode, 0, `call ${i + 1} failed: ${call.errors}\n${call.output}`);
      assert.equal(far.exitCode, 0, `the carrier's side of call ${i + 1} failed: ${far.errors}`);
    }
    return { home, twoWay: twoWay(await readMedia(media)) };
  }

  /** The suspect entry of `home`'s WAN address, once listed. */
  function listedSuspect(home: Home): Promise<Suspect> {
    return eventually(async () => {
      const s = (await suspects(sbc!)).find((x) => x.client.startsWith(home.wan));
      if (s === undefined) throw new Error('not listed');
      return s;
    }, 5000);
  }

  it('kernel ALG on: calls still have two-way RTP, and the client is listed with identity-private', async () => {
    // one private Call-ID is a hint (weight 0.5; a STUN phone can look the same), two calls a suspect
    const { home, twoWay: both } = await callThroughRouter(true, 2, 1000);
    assert.ok(both, 'one-way audio through the ALG');
    const suspect = await listedSuspect(home);
    assert.ok(suspect.signals.includes('identity-private'), `signals: ${suspect.signals.join(', ')}`);
    const counted = await sbc!.metric('palisade_alg_suspected_total');
    assert.ok(
      counted.some((c) => c.labels.includes('identity-private') && c.value > 0),
      `palisade_alg_suspected_total: ${JSON.stringify(counted)}`,
    );
  });

  it('a broken ALG (only Via rewritten, Contact/SDP left private): the call works, the client is listed with partial-rewrite', async () => {
    // one partial rewrite is a hint (weight 0.5), a repeat makes a suspect: two calls
    const { home, twoWay: both } = await callThroughRouter('partial-rewrite', 2, 1000);
    assert.ok(both, 'one-way audio through the broken ALG');
    const suspect = await listedSuspect(home);
    assert.ok(suspect.signals.includes('partial-rewrite'), `signals: ${suspect.signals.join(', ')}`);
    const counted = await sbc!.metric('palisade_alg_suspected_total');
    assert.ok(
      counted.some((c) => c.labels.includes('partial-rewrite') && c.value > 0),
      `palisade_alg_suspected_total: ${JSON.stringify(counted)}`,
    );
  });

  it('ALG off: the same flow leaves no suspect and no count', async () => {
    // as many calls as the kernel-ALG case: two would make a suspect if any signal fired
    const { home, twoWay: both } = await callThroughRouter(false, 2);
    assert.ok(both, 'one-way audio without the ALG');
    assert.equal(listed(await suspects(sbc!), home), false, 'a client without ALG was listed');
    assert.equal(await algSuspectedTotal(sbc!), 0);
  });
});
