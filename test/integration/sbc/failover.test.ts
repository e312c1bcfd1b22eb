/**
 * Gateway failover and per-trunk limits through the SBC, with sipp gateways: a 503 from the first
 * gateway moves the call to the second; a 486 is final (no failover); every gateway failing gives
 * the mapped final response; `maxCalls` and `cps` refuse calls with 503 and Retry-After.
 */
import assert from 'node:assert/strict';
import { runSipp, startSippUas, type SippResult } from '../../support/sipp';
import { startTestSbc } from '../../support/sbc';
import { explain, messagesOf, Peers, received, waitReady } from './sbc-fixture';

const trunks = (gateways: string, limits = ''): string =>
  [
    'trunks:',
    `  - { name: local, inbound: { sources: [ 127.0.0.0/8 ] }${limits} }`,
    `  - { name: carrier, outbound: { inviteTimeoutSeconds: 1, gateways: [ ${gateways} ] } }`,
    'routes:',
    '  - { from: local, to: { trunk: carrier } }',
  ].join('\n');

const gw = (port: number, priority: number): string =>
  `{ uri: "sip:127.0.0.1:${port}", priority: ${priority} }`;

describe('SBC failover and limits', function () {
  this.timeout(30_000);
  const peers = new Peers();
  afterEach(() => peers.stop());

  async function call(scenario: string, pauseMs?: number): Promise<SippResult> {
    const sbc = peers.sbc;
    assert.ok(sbc);
    return runSipp({
      scenario,
      remote: { host: '127.0.0.1', port: sbc.sipPort },
      calls: 1,
      timeoutMs: 10_000,
      ...(pauseMs === undefined ? {} : { pauseMs }),
    });
  }

  it('fails over from a 503 gateway to the next one', async () => {
    const down = peers.add(await startSippUas({ scenario: 'invite-uas-503.xml', calls: 1 }));
    const up = peers.add(await startSippUas({ scenario: 'invite-uas.xml', calls: 1 }));
    peers.sbc = await startTestSbc({
      carrierPort: 0,
      routingYaml: trunks(`${gw(down.port, 1)}, ${gw(up.port, 2)}`),
    });
    await waitReady(peers.sbc);
    const r = await call('invite-uac.xml', 200);
    assert.equal(r.outcome, 'all-succeeded', explain(r));
    assert.equal((await down.done).outcome, 'all-succeeded');
    assert.equal((await up.done).outcome, 'all-succeeded');
  });

  it('does not fail over on 486: the caller gets 486', async () => {
    const busy = peers.add(await startSippUas({ scenario: 'invite-uas-busy.xml', calls: 1 }));
    const spare = peers.add(await startSippUas({ scenario: 'invite-uas.xml' }));
    peers.sbc = await startTestSbc({
      carrierPort: 0,
      routingYaml: trunks(`${gw(busy.port, 1)}, ${gw(spare.port, 2)}`),
    });
    await waitReady(peers.sbc);
    const r = await call('invite-uac-expect-error.xml');
    assert.equal(r.outcome, 'all-succeeded', explain(r));
    assert.equal(received(messagesOf(r), 'SIP/2.0 486').length > 0, true, 'the caller got 486');
    const spareResult = await spare.stop(300);
    assert.equal(received(messagesOf(spareResult), 'INVITE').length, 0, 'the second gateway was not tried');
  });

  it('gives the mapped 503 when every gateway fails (503, then no answer)', async () => {
    const down = peers.add(await startSippUas({ scenario: 'invite-uas-503.xml', calls: 1 }));
    peers.sbc = await startTestSbc({
      carrierPort: 0,
      routingYaml: trunks(`${gw(down.port, 1)}, ${gw(9, 2)}`),
    });
    await waitReady(peers.sbc);
    const r = await call('invite-uac-expect-error.xml');
    assert.equal(r.outcome, 'all-succeeded', explain(r));
    assert.equal(received(messagesOf(r), 'SIP/2.0 503').length > 0, true, 'the caller got 503');
  });

  it('refuses a second concurrent call over maxCalls 1 with 503 and Retry-After', async () => {
    const callee = peers.add(await startSippUas({ scenario: 'invite-uas.xml' }));
    peers.sbc = await startTestSbc({
      carrierPort: 0,
      routingYaml: trunks(gw(callee.port, 1), ', limits: { maxCalls: 1 }'),
    });
    await waitReady(peers.sbc);
    const first = call('invite-uac.xml', 1500);
    await new Promise((r) => setTimeout(r, 500));
    const second = await call('invite-uac-expect-error.xml');
    assert.equal(second.outcome, 'all-succeeded', explain(second));
    const refusal = received(messagesOf(second), 'SIP/2.0 503')[0] ?? '';
    assert.match(refusal, /^Retry-After: \d+/im);
    assert.equal((await first).outcome, 'all-succeeded');
    const third = await call('invite-uac.xml', 100);
    assert.equal(third.outcome, 'all-succeeded', 'the slot is free again after the first call');
  });

  it('refuses a burst over cps 1 with 503', async () => {
    const callee = peers.add(await startSippUas({ scenario: 'invite-uas-busy.xml' }));
    peers.sbc = await startTestSbc({
      carrierPort: 0,
      routingYaml: trunks(gw(callee.port, 1), ', limits: { cps: 1 }'),
    });
    await waitReady(peers.sbc);
    const r = await runSipp({
      scenario: 'invite-uac-expect-error.xml',
      remote: { host: '127.0.0.1', port: peers.sbc.sipPort },
      calls: 5,
      rate: 50,
      timeoutMs: 10_000,
    });
    assert.equal(r.outcome, 'all-succeeded', explain(r));
    const log = messagesOf(r);
    assert.ok(received(log, 'SIP/2.0 486').length >= 1, 'the first call went through');
    const refused = received(log, 'SIP/2.0 503');
    assert.ok(refused.length >= 3, `the burst was refused (${refused.length} × 503)`);
    assert.match(refused[0] ?? '', /^Retry-After: \d+/im);
  });
});
