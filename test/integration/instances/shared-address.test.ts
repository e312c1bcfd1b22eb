/**
 * Shared advertised address (issue 8, docs/adr/0006-flow-hand-over.md) with real instances on one
 * redis-server, the real engine, rtpengine and sipp: a device registers over UDP through B; B
 * dies and C takes over B's address (here: its port on 127.0.0.1, as a floating IP would move).
 * With `instance.sharedAddress` C reaches the device over the old flow itself — sending from the
 * address the device's NAT mapping points at — and adopts the binding, so a call arriving at A
 * afterwards is forwarded to C. A device B held over TCP cannot be reached (480).
 */
import assert from 'node:assert/strict';
import { eventually } from '../../support/http';
import { sbcLog } from '../sbc/sbc-fixture';
import { explain, messages, register } from '../registrar/registrar-fixture';
import { waitReady } from '../scale/scale-fixture';
import { AOR, carrierCall, startDevice, type Instance } from './forwarding-fixture';
import { InstanceLab, logs } from './instance-lab';

describe('shared advertised address: a survivor re-uses a dead owner’s UDP flow (engine + rtpengine + redis + sipp)', function () {
  this.timeout(120_000);
  const lab = new InstanceLab();
  afterEach(() => lab.stop());

  async function owners(x: Instance, aor: string): Promise<string[]> {
    return (await x.sbc.internals.state.getBindings(aor)).map((b) => b.flow.owner);
  }

  it('C, holding dead B’s address, calls B’s UDP device over its flow and adopts it; B’s TCP device gets 480', async () => {
    const a = await lab.start('sbc-a', { sharedAddress: true });
    const b = await lab.start('sbc-b', { sharedAddress: true });
    await waitReady(b.sbc); // its app is attached to its engine (else the engine answers 503)
    const device = startDevice(b.sbc, { upMs: 30_000 });
    const bob = await register(b.sbc, { user: 'bob', transport: 't1' });
    assert.equal(bob.outcome, 'all-succeeded', explain(bob));
    await eventually(async () => {
      assert.deepEqual(await owners(a, AOR), ['sbc-b']);
      assert.deepEqual(await owners(a, 'sip:bob@127.0.0.1'), ['sbc-b']);
    }, 15_000);
    const address = b.sbc.sipPort;
    await lab.stopNow(b);
    assert.equal(await a.sbc.internals.state.getInstance('sbc-b'), undefined, 'B is gone');
    const c = await lab.start('sbc-c', { sharedAddress: true, sipPort: address });
    await waitReady(c.sbc);

    const first = await carrierCall(c.sbc, { scenario: 'invite-uac.xml', pauseMs: 1000 });
    assert.equal(first.outcome, 'all-succeeded', `${explain(first)}\n${logs(a, c)}`);
    await eventually(async () => {
      assert.deepEqual(await owners(a, AOR), ['sbc-c'], 'C adopted the binding');
    });
    assert.match(sbcLog(c.sbc), /flow adopted/);

    const second = await carrierCall(a.sbc, { scenario: 'invite-uac.xml', pauseMs: 1000 });
    assert.equal(second.outcome, 'all-succeeded', `${explain(second)}\n${logs(a, c)}`);
    await eventually(() => {
      assert.equal(c.sbc.cdrs().length, 2, 'the call at A went through C');
      assert.equal(a.sbc.cdrs()[0]?.finalStatus, 200);
    });

    const tcp = await carrierCall(c.sbc, { scenario: 'invite-uac-expect-error.xml', user: 'bob' });
    assert.equal(tcp.outcome, 'all-succeeded', explain(tcp));
    assert.match(messages(tcp), /^SIP\/2\.0 480 /m);
    assert.match(sbcLog(c.sbc), /flow owner sbc-b is not alive \(its tcp connection ended with it\)/);
    assert.deepEqual(await owners(a, 'sip:bob@127.0.0.1'), ['sbc-b'], 'a TCP flow is never adopted');

    const dev = await device;
    const vias = [...messages(dev).matchAll(/INVITE sip:[\s\S]*?^Via: SIP\/2\.0\/UDP ([^;\s]+)/gm)].map(
      (m) => m[1],
    );
    assert.deepEqual(
      vias,
      [`127.0.0.1:${address}`, `127.0.0.1:${address}`],
      'both sent from the shared address',
    );
  });

  it('behind a shared address a draining owner’s UDP flow is taken over by the instance that has the call', async () => {
    // On one machine A cannot also hold B's address: the sipp device (no NAT in front of it)
    // accepts A's INVITE from A's port. What is checked is A's choice and the adoption.
    const a = await lab.start('sbc-a', { sharedAddress: true });
    const b = await lab.start('sbc-b', { sharedAddress: true });
    await waitReady(a.sbc);
    await waitReady(b.sbc);
    const device = startDevice(b.sbc, { upMs: 12_000 });
    await eventually(async () => {
      assert.deepEqual(await owners(a, AOR), ['sbc-b']);
    }, 15_000);
    b.sbc.runtime.drain.start(60);
    await eventually(async () => {
      assert.equal((await a.sbc.internals.state.getInstance('sbc-b'))?.draining, true);
    });
    const call = await carrierCall(a.sbc, { scenario: 'invite-uac.xml', pauseMs: 1000 });
    assert.equal(call.outcome, 'all-succeeded', `${explain(call)}\n${logs(a, b)}`);
    await eventually(async () => {
      assert.deepEqual(await owners(a, AOR), ['sbc-a'], 'A adopted the binding');
    });
    assert.equal(b.sbc.cdrs().length, 0, 'nothing was forwarded to the draining B');
    const dev = await device;
    const sentBy = new RegExp(`^Via: SIP/2\\.0/UDP 127\\.0\\.0\\.1:${a.sbc.sipPort};`, 'm');
    assert.match(messages(dev), sentBy, 'A sent it over the flow itself');
  });
});
