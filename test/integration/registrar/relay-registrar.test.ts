/**
 * Relay mode with the real engine and sipp (issue 7 point 3): a device registers through
 * Palisade to an upstream registrar (sipp), refreshes twice more while the upstream sees only
 * the first REGISTER (registration caching), the upstream holds Palisade's token Contact, and a
 * call the upstream sends to that Contact reaches the device through its flow.
 */
import assert from 'node:assert/strict';
import { eventually } from '../../support/http';
import { startSippUas } from '../../support/sipp';
import { Peers, sbcLog } from '../sbc/sbc-fixture';
import {
  CARRIER_IP,
  carrierCall,
  explain,
  messages,
  startDevice,
  startRegistrarSbc,
} from './registrar-fixture';

describe('relay registrar (engine + sipp upstream)', function () {
  this.timeout(90_000);
  const peers = new Peers();
  afterEach(() => peers.stop());

  it('caches refreshes (3 device REGISTERs, 1 upstream) and delivers the upstream’s call via the contact token', async () => {
    const upstream = peers.add(
      await startSippUas({ scenario: 'register-uas.xml', localIp: CARRIER_IP, traceMessages: true }),
    );
    const sbc = (peers.sbc = await startRegistrarSbc({
      registrar: [
        'registrar:',
        '  mode: relay',
        `  relay: { upstream: "sip:${CARRIER_IP}:${upstream.port}", expires: 3600, refreshMarginSeconds: 300 }`,
      ].join('\n'),
      routing: [
        'trunks:',
        `  - { name: pbx, inbound: { sources: [ ${CARRIER_IP}/32 ] } }`,
        'routes:',
        '  - { from: pbx, to: registered }',
      ].join('\n'),
    }));
    const device = startDevice(sbc, {
      user: 'carol',
      transport: 'u1',
      upMs: 6000,
      scenario: 'reg-uac-refresh.xml',
      keys: { expires: '60' },
    });
    await eventually(async () => {
      const [b] = await sbc.internals.state.getBindings('sip:carol@127.0.0.1');
      assert.equal(b?.cseq, 3, 'the third refresh is in');
    }, 10_000).catch(async (e: unknown) => {
      const up = explain(await upstream.stop(300));
      throw new Error(`${String(e)}\n${sbcLog(sbc)}\nupstream:\n${up}\ndevice:\n${explain(await device)}`);
    });
    const upstreamLog = messages(await upstream.stop(500));
    const registers = upstreamLog.match(/^REGISTER sip:/gm) ?? [];
    assert.equal(registers.length, 1, `upstream saw:\n${upstreamLog}`);
    const token = /Contact: <sip:(pr-[A-Za-z0-9_-]+)@127\.0\.0\.1:\d+>;expires=3600/.exec(upstreamLog)?.[1];
    assert.ok(token, 'the upstream holds Palisade’s token Contact, not the device’s');
    const [binding] = await sbc.internals.state.getBindings('sip:carol@127.0.0.1');
    assert.ok(
      binding?.upstream && binding.upstream.expiresAt - Date.now() > 3000_000,
      'upstream interval kept',
    );
    assert.ok(binding.expiresAt - Date.now() <= 60_000, 'device interval is its own');
    const call = await carrierCall(sbc, token);
    assert.equal(call.outcome, 'all-succeeded', explain(call));
    const dev = await device;
    assert.match(messages(dev), new RegExp(`INVITE ${binding.contact.replace(/[.;]/g, '\\$&')} SIP/2\\.0`));
  });
});
