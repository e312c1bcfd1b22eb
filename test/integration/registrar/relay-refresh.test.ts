/**
 * Relay mode refreshing upstream by itself, with the real engine and sipp (issue 7 point 3):
 * the device registers once (its credentials go upstream); Palisade re-registers upstream
 * before the upstream interval runs out with no device REGISTER in between (same Call-ID, CSeq
 * up); when the device's binding expires the sweep removes the upstream registration (expires=0).
 */
import assert from 'node:assert/strict';
import { eventually } from '../../support/http';
import { startSippUas } from '../../support/sipp';
import { Peers } from '../sbc/sbc-fixture';
import { CARRIER_IP, explain, messages, startDevice, startRegistrarSbc } from './registrar-fixture';

interface UpstreamRegister {
  callId: string;
  cseq: number;
  contact: string;
  authorized: boolean;
}

function registersIn(log: string): UpstreamRegister[] {
  return log
    .split(/\n(?=REGISTER sip:)/)
    .filter((m) => m.startsWith('REGISTER sip:'))
    .map((m) => ({
      callId: /^Call-ID: *(.+)$/im.exec(m)?.[1]?.trim() ?? '',
      cseq: Number(/^CSeq: *(\d+)/im.exec(m)?.[1]),
      contact: /^Contact: *(.+)$/im.exec(m)?.[1]?.trim() ?? '',
      authorized: /^Authorization:/im.test(m),
    }));
}

describe('relay registrar: upstream refresh and removal by Palisade (engine + sipp upstream)', function () {
  this.timeout(90_000);
  const peers = new Peers();
  afterEach(() => peers.stop());

  it('refreshes upstream without a device REGISTER, then removes it when the device binding expires', async () => {
    const upstream = peers.add(
      await startSippUas({
        scenario: 'register-uas-refresh.xml',
        localIp: CARRIER_IP,
        traceMessages: true,
      }),
    );
    const sbc = (peers.sbc = await startRegistrarSbc({
      registrar: [
        'registrar:',
        '  mode: relay',
        '  sweepIntervalSeconds: 1',
        '  expires: { min: 5, max: 3600, default: 600, natMax: 60 }',
        // Upstream interval 60 s, refreshed 50 s before its end (+ up to 5 s jitter): at 10-15 s.
        `  relay: { upstream: "sip:${CARRIER_IP}:${upstream.port}", expires: 60, refreshMarginSeconds: 50 }`,
      ].join('\n'),
    }));
    // One device REGISTER for 17 s (the upstream asks for no credentials), then the device is gone.
    const device = await startDevice(sbc, {
      user: 'carol',
      transport: 'u1',
      upMs: 500,
      keys: { expires: '17' },
    });
    assert.equal(device.outcome, 'all-succeeded', explain(device));
    await eventually(async () => {
      assert.deepEqual(await sbc.internals.state.getBindings('sip:carol@127.0.0.1'), []);
    }, 30_000);
    await new Promise((r) => setTimeout(r, 1000));
    const log = messages(await upstream.stop(500));
    const seen = registersIn(log);
    assert.equal(seen.length, 3, `upstream saw:\n${log}`);
    const [first, refresh, removal] = seen as [UpstreamRegister, UpstreamRegister, UpstreamRegister];
    assert.equal(new Set(seen.map((r) => r.callId)).size, 1, 'one upstream Call-ID throughout');
    assert.ok(refresh.cseq > first.cseq && removal.cseq > refresh.cseq, 'CSeq rises');
    assert.match(refresh.contact, /<sip:pr-[^@]+@127\.0\.0\.1:\d+>;expires=60/);
    assert.equal(refresh.authorized, false, 'Palisade has no device credentials to send');
    assert.match(removal.contact, /;expires=0/);
  });
});
