/**
 * Issue 8 point 3 with the real engine, rtpengine, redis-server and sipp: two instances share one
 * Redis; a device registers on B; the carrier calls A; A sends the INVITE through B's internal
 * listener (signed X-Palisade-Forwarded) and B delivers it over the device's flow — no 302.
 * A anchors the media (B passes SDP through), RTP flows both ways, a BYE from either side ends
 * both instances' legs. A forged forwarded INVITE is refused (bad signature, or a good one from
 * an address that is no instance); a dead owner means 480; a device on A itself is reached directly.
 */
import assert from 'node:assert/strict';
import { eventually } from '../../support/http';
import type { SippResult } from '../../support/sipp';
import { bindingKey } from '../../../lib/state/binding';
import { FORWARD_HEADER, signForward } from '../../../lib/sbc/peer/forward-token';
import { assertNothingHeld, sbcLog } from '../sbc/sbc-fixture';
import { CARRIER_IP, explain, messages, register } from '../registrar/registrar-fixture';
import { AOR, carrierCall, SECRET, startDevice, type Instance } from './forwarding-fixture';
import { heldBy, InstanceLab, logs } from './instance-lab';
import { rawInvite } from './raw-invite';
import { waitReady } from '../scale/scale-fixture';

/** The first INVITE a sipp device received, and its top Via. */
function inviteSeen(device: SippResult): { ruri: string; text: string } {
  const m = /INVITE (\S+) SIP\/2\.0[\s\S]*?\n\n/.exec(messages(device));
  assert.ok(m?.[1], `the device got an INVITE\n${explain(device)}`);
  return { ruri: m[1], text: m[0] };
}

describe('instance forwarding: any instance reaches any device (engine + rtpengine + redis + sipp)', function () {
  this.timeout(120_000);
  const lab = new InstanceLab();
  let a: Instance;
  let b: Instance;

  beforeEach(async () => {
    a = await lab.start('sbc-a');
    b = await lab.start('sbc-b');
    const state = a.sbc.internals.state;
    await eventually(async () => {
      assert.deepEqual(
        (await state.listInstances()).map((i) => [i.id, i.sipUri]),
        [
          ['sbc-a', `sip:127.0.0.1:${a.internalPort};transport=udp`],
          ['sbc-b', `sip:127.0.0.1:${b.internalPort};transport=udp`],
        ],
      );
    });
    // Both apps attached to their engines (before that an engine answers 503).
    await waitReady(a.sbc);
    await waitReady(b.sbc);
  });

  afterEach(() => lab.stop());

  const registeredOn = (owner: Instance): Promise<void> => heldBy(a, owner, 10_000);

  for (const transport of ['u1', 't1'] as const) {
    const proto = transport === 'u1' ? 'UDP' : 'TCP';
    it(`a call at A for a device registered on B over ${proto} goes through B; RTP both ways; the carrier’s BYE ends both`, async () => {
      const device = startDevice(b.sbc, { upMs: 9000, transport });
      await registeredOn(b);
      const [binding] = await a.sbc.internals.state.getBindings(AOR);
      const call = await carrierCall(a.sbc);
      assert.equal(call.outcome, 'all-succeeded', `${explain(call)}\n${logs(a, b)}`);
      assert.doesNotMatch(messages(call), /SIP\/2\.0 302 /);
      const dev = await device;
      const invite = inviteSeen(dev);
      assert.equal(invite.ruri, binding?.contact, 'Request-URI is the registered Contact');
      assert.match(
        invite.text,
        new RegExp(`^Via: SIP/2\\.0/${proto} 127\\.0\\.0\\.1:${b.sbc.sipPort};`, 'm'),
        'sent by B',
      );
      assert.doesNotMatch(invite.text, /X-Palisade/i, 'the internal header stays inside');
      if (proto === 'TCP')
        assert.match(
          messages(dev),
          /TCP message received [\s\S]*INVITE sip:/,
          'over the device’s connection',
        );
      assert.match(messages(dev), /BYE sip:/, 'the carrier’s BYE reached the device through both');
      const cdrA = await eventually(() => {
        const found = a.sbc.cdrs()[0];
        assert.ok(found, `A wrote a CDR\n${logs(a, b)}`);
        return found;
      });
      const cdrB = await eventually(() => {
        const found = b.sbc.cdrs()[0];
        assert.ok(found, `B wrote a CDR\n${logs(a, b)}`);
        return found;
      });
      assert.equal(cdrA.finalStatus, 200);
      assert.equal(cdrA.trunkOut, 'registered');
      assert.ok(cdrA.media, 'A anchored the media');
      assert.ok(
        cdrA.media.callerToCallee.packets > 20,
        `carrier → device: ${cdrA.media.callerToCallee.packets}`,
      );
      assert.ok(
        cdrA.media.calleeToCaller.packets > 20,
        `device → carrier: ${cdrA.media.calleeToCaller.packets}`,
      );
      assert.equal(cdrB.finalStatus, 200);
      assert.equal(cdrB.media, null, 'B passed the SDP through: no second rtpengine session');
      assert.equal(cdrA.hangupBy, 'caller');
      assert.equal(cdrB.hangupBy, 'caller', 'A’s BYE ended B’s call');
      await assertNothingHeld(a.sbc);
      await assertNothingHeld(b.sbc);
    });
  }

  it('the device’s BYE ends the call on B and on A', async () => {
    const device = startDevice(b.sbc, { upMs: 7000, answer: 'reg-uas-device-bye.xml' });
    await registeredOn(b);
    const call = await carrierCall(a.sbc, { scenario: 'invite-uac-expect-bye.xml' });
    assert.equal(call.outcome, 'all-succeeded', `${explain(call)}\n${logs(a, b)}`);
    const dev = await device;
    assert.match(
      messages(dev),
      /SIP\/2\.0 200 OK[\s\S]*CSeq: 2 BYE/,
      `the device’s BYE was answered\n${explain(dev)}`,
    );
    const ended = await eventually(() => {
      const [ca, cb] = [a.sbc.cdrs()[0], b.sbc.cdrs()[0]];
      assert.ok(ca && cb, `both CDRs\n${logs(a, b)}`);
      return { ca, cb };
    });
    assert.equal(ended.cb.hangupBy, 'callee');
    assert.equal(ended.ca.hangupBy, 'callee', 'B’s BYE ended A’s call');
    await assertNothingHeld(a.sbc);
    await assertNothingHeld(b.sbc);
  });

  it('refuses forged forwarded INVITEs: a bad signature, or a valid one from an address that is no instance', async () => {
    const reg = await register(b.sbc, { user: 'alice' });
    assert.equal(reg.outcome, 'all-succeeded', explain(reg));
    await registeredOn(b);
    const [binding] = await a.sbc.internals.state.getBindings(AOR);
    assert.ok(binding);
    const claims = { from: 'sbc-a', to: 'sbc-b', aor: AOR, binding: bindingKey(binding), expires: 0 };
    const valid = signForward(SECRET, { ...claims, expires: Math.floor(Date.now() / 1000) + 60 });
    const forged = signForward('not-the-secret', { ...claims, expires: Math.floor(Date.now() / 1000) + 60 });
    const to = { address: '127.0.0.1', port: b.internalPort };
    const send = (from: string, token: string): Promise<number[]> =>
      rawInvite({ from, to, ruri: binding.contact, headers: { [FORWARD_HEADER]: token } });
    const bad = await send('127.0.0.1', forged);
    assert.equal(bad.at(-1), 403, `bad signature from an instance address: ${bad.join(',')}`);
    const outsider = await send(CARRIER_IP, valid);
    assert.equal(outsider.at(-1), 403, `valid token from a non-instance: ${outsider.join(',')}`);
    // Control: the same valid token from an instance address is admitted (the device is gone: 480).
    const control = await send('127.0.0.1', valid);
    assert.equal(control.at(-1), 480, `admitted, then the device did not answer: ${control.join(',')}`);
    assert.match(sbcLog(b.sbc), /forwarded request refused: signature does not verify/);
    assert.match(sbcLog(b.sbc), /forwarded request not from a live instance/);
    // The CDR is written once the call has ended, just after the 480 went out.
    await eventually(() => {
      assert.equal(b.sbc.cdrs().length, 1, 'only the control call became a call on B');
    });
  });

  it('answers 480 when the instance holding the flow is not alive any more', async () => {
    const reg = await register(b.sbc, { user: 'alice' });
    assert.equal(reg.outcome, 'all-succeeded', explain(reg));
    await registeredOn(b);
    await lab.stopNow(b);
    assert.equal(await a.sbc.internals.state.getInstance('sbc-b'), undefined, 'B withdrew');
    const call = await carrierCall(a.sbc, { scenario: 'invite-uac-expect-error.xml' });
    assert.equal(call.outcome, 'all-succeeded', `${explain(call)}\n${logs(a)}`);
    assert.match(messages(call), /^SIP\/2\.0 480 /m);
    assert.match(sbcLog(a.sbc), /flow owner sbc-b is not alive/);
  });

  it('a device registered on A itself is still reached directly', async () => {
    const device = startDevice(a.sbc, { upMs: 7000 });
    await registeredOn(a);
    const call = await carrierCall(a.sbc);
    assert.equal(call.outcome, 'all-succeeded', `${explain(call)}\n${logs(a, b)}`);
    const invite = inviteSeen(await device);
    assert.match(
      invite.text,
      new RegExp(`^Via: SIP/2\\.0/UDP 127\\.0\\.0\\.1:${a.sbc.sipPort};`, 'm'),
      'sent by A',
    );
    const cdrA = await eventually(() => {
      const found = a.sbc.cdrs()[0];
      assert.ok(found, `A wrote a CDR\n${logs(a, b)}`);
      return found;
    });
    assert.ok(cdrA.media && cdrA.media.calleeToCaller.packets > 20, 'RTP from the device');
    assert.equal(b.sbc.cdrs().length, 0, 'B took no part');
  });
});
