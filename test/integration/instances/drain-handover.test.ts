/**
 * Drain hand-over (issue 8 point 5, docs/adr/0006-flow-hand-over.md) with two real instances on
 * one redis-server, the real engine, rtpengine and sipp devices: a draining instance still
 * delivers the calls its peers forward for the flows it holds (refusing its own new calls), and
 * its drain waits for them; UDP registrations refreshed during the drain get a short expiry (TCP
 * ones do not); its entry says `draining`; when the drain ends its TCP flows close and an RFC 5626
 * client registers again through the other instance, where calls then reach it.
 */
import assert from 'node:assert/strict';
import { eventually } from '../../support/http';
import { freeUdpPort } from '../../support/ports';
import { explain, last200, messages, register } from '../registrar/registrar-fixture';
import { waitReady } from '../scale/scale-fixture';
import { carrierCall, startDevice, type Instance } from './forwarding-fixture';
import { heldBy, InstanceLab, logs } from './instance-lab';
import { startOutboundClient } from './outbound-tcp-client';

const expiresIn = (ok200: string): number => Number(/expires=(\d+)/.exec(ok200)?.[1] ?? NaN);

describe('drain hand-over between two instances (engine + rtpengine + redis + sipp)', function () {
  this.timeout(120_000);
  const lab = new InstanceLab();
  let a: Instance;
  let b: Instance;

  beforeEach(async () => {
    a = await lab.start('sbc-a');
    b = await lab.start('sbc-b', { drainExpiresSeconds: 30 });
    await eventually(async () => {
      assert.deepEqual(
        (await a.sbc.internals.state.listInstances()).map((i) => i.id),
        ['sbc-a', 'sbc-b'],
      );
    });
    await waitReady(a.sbc);
    await waitReady(b.sbc);
  });

  afterEach(() => lab.stop());

  const registeredOn = (owner: Instance): Promise<void> => heldBy(a, owner, 15_000);

  async function drainingAnnounced(x: Instance): Promise<void> {
    await eventually(async () => {
      assert.equal((await a.sbc.internals.state.getInstance(x.id))?.draining, true);
    });
  }

  it('a draining B delivers the call A forwards for its device, refuses its own new calls, and waits for the forwarded call', async () => {
    const device = startDevice(b.sbc, { upMs: 25_000 });
    await registeredOn(b);
    const drain = b.sbc.runtime.drain;
    // A call B itself carries keeps the drain open until the forwarded call is up.
    const local = carrierCall(b.sbc, { scenario: 'invite-uac.xml', pauseMs: 5000 });
    await eventually(() => {
      assert.equal(drain.status().activeCalls, 1);
    }, 10_000);
    assert.equal(drain.start(60).phase, 'draining');
    await drainingAnnounced(b);
    const forwarded = carrierCall(a.sbc, { scenario: 'invite-uac.xml', pauseMs: 10_000 });
    await eventually(() => {
      assert.equal(drain.status().activeCalls, 2, `the forwarded call is up on B\n${logs(a, b)}`);
    }, 10_000);
    const refused = await carrierCall(b.sbc, { scenario: 'invite-uac-expect-error.xml' });
    assert.equal(refused.outcome, 'all-succeeded', explain(refused));
    assert.match(messages(refused), /^SIP\/2\.0 503 /m, 'B’s own new calls are refused');
    const l = await local;
    assert.equal(l.outcome, 'all-succeeded', explain(l));
    await eventually(() => {
      assert.equal(drain.status().activeCalls, 1, 'B’s own call ended');
    });
    assert.equal(drain.status().phase, 'draining', 'the forwarded call keeps the drain open');
    const f = await forwarded;
    assert.equal(f.outcome, 'all-succeeded', `${explain(f)}\n${logs(a, b)}`);
    assert.doesNotMatch(messages(f), /SIP\/2\.0 503 /);
    const done = await drain.finished;
    assert.equal(done.endedAtDeadline, 0, 'every call finished by itself');
    await eventually(() => {
      assert.deepEqual(
        b.sbc.cdrs().map((c) => c.finalStatus),
        [200, 200],
        'B carried its own call and the forwarded one',
      );
      assert.equal(a.sbc.cdrs()[0]?.finalStatus, 200);
    });
    const dev = await device;
    assert.equal((messages(dev).match(/^INVITE sip:/gm) ?? []).length, 2, explain(dev));
  });

  it('UDP refreshes during the drain get drainExpiresSeconds, TCP ones do not; the entry says draining', async () => {
    const port = await freeUdpPort();
    const before = await register(b.sbc, { user: 'alice', localPort: port });
    assert.equal(before.outcome, 'all-succeeded', explain(before));
    assert.ok(expiresIn(last200(before)) > 30, last200(before));
    b.sbc.runtime.drain.start(60);
    await drainingAnnounced(b);
    const udp = await register(b.sbc, { user: 'alice', localPort: port });
    assert.equal(udp.outcome, 'all-succeeded', explain(udp));
    // The 200 lists the time left when it is sent (rounded): up to 30 s, a little less under load.
    const granted = expiresIn(last200(udp));
    assert.ok(granted <= 30 && granted >= 25, last200(udp));
    const tcp = await register(b.sbc, { user: 'bob', transport: 't1' });
    assert.equal(tcp.outcome, 'all-succeeded', explain(tcp));
    assert.ok(expiresIn(last200(tcp)) > 30, last200(tcp));
    assert.equal((await a.sbc.internals.state.getInstance('sbc-a'))?.draining, undefined, 'A serves');
  });

  it('when B’s drain ends its TCP flows close; an RFC 5626 client registers again through A and is reached there', async () => {
    const client = startOutboundClient({
      targets: [b.sbc.sipPort, a.sbc.sipPort],
      user: 'alice',
      password: 'alice-secret',
    });
    try {
      await client.registered(1);
      await registeredOn(b);
      const viaB = await carrierCall(a.sbc, { scenario: 'invite-uac-expect-error.xml' });
      assert.match(messages(viaB), /^SIP\/2\.0 486 /m, `${explain(viaB)}\n${logs(a, b)}`);
      assert.deepEqual(client.invites, [b.sbc.sipPort], 'forwarded to B, over the client’s connection');
      b.sbc.runtime.drain.start(60);
      await b.sbc.runtime.drain.finished;
      assert.equal(client.flowFailures, 0, 'the flow stays up while B drains');
      // As `palisade start` does once drained: stop (the engine closes every connection).
      await lab.stopNow(b);
      await client.registered(2);
      assert.equal(client.flowFailures, 1);
      await registeredOn(a);
      const viaA = await carrierCall(a.sbc, { scenario: 'invite-uac-expect-error.xml' });
      assert.match(messages(viaA), /^SIP\/2\.0 486 /m, `${explain(viaA)}\n${logs(a)}`);
      assert.deepEqual(client.invites, [b.sbc.sipPort, a.sbc.sipPort], 'now over its flow to A');
    } finally {
      client.close();
    }
  });
});
