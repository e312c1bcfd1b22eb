/**
 * Calls routed `to: registered` (issue 7 point 3) with the real engine, rtpengine and sipp: a
 * carrier call reaches a device registered over UDP and one registered over TCP (through the
 * device's own connection: the INVITE arrives on the socket it registered from), the Redis
 * backend holds the binding for one of them, and an unregistered AOR gets 480.
 */
import assert from 'node:assert/strict';
import { eventually } from '../../support/http';
import { startRedis, type TestRedis } from '../../support/redis-server';
import type { TestSbc } from '../../support/sbc';
import { carrierCall, explain, messages, startDevice, startRegistrarSbc } from './registrar-fixture';

describe('calls to registered devices (engine + rtpengine + sipp)', function () {
  this.timeout(90_000);
  let sbc: TestSbc | undefined;
  let redis: TestRedis | undefined;
  afterEach(async () => {
    await sbc?.stop();
    await redis?.stop();
    sbc = undefined;
    redis = undefined;
  });

  for (const [transport, backend] of [
    ['u1', 'memory'],
    ['t1', 'memory'],
    ['u1', 'redis'],
  ] as const) {
    it(`reaches a device registered over ${transport === 'u1' ? 'UDP' : 'TCP'} (${backend} state)`, async () => {
      if (backend === 'redis') redis = await startRedis();
      sbc = await startRegistrarSbc(redis ? { state: `state: { backend: redis, url: "${redis.url}" }` } : {});
      const device = startDevice(sbc, { user: 'alice', transport, upMs: 6000 });
      const running = sbc;
      await eventually(async () => {
        assert.equal((await running.internals.state.getBindings('sip:alice@127.0.0.1')).length, 1);
      }, 10_000);
      const [binding] = await sbc.internals.state.getBindings('sip:alice@127.0.0.1');
      assert.equal(binding?.flow.transport, transport === 'u1' ? 'udp' : 'tcp');
      const call = await carrierCall(sbc, 'alice');
      assert.equal(call.outcome, 'all-succeeded', explain(call));
      const dev = await device;
      const seen = messages(dev);
      const invite = /INVITE (\S+) SIP\/2\.0[\s\S]*?\n\n/.exec(seen);
      assert.ok(invite, `the device got the INVITE:\n${explain(dev)}`);
      assert.equal(invite[1], binding.contact, 'Request-URI is the registered Contact');
      assert.match(invite[0], /^To: <sip:alice@127\.0\.0\.1>/m);
      if (transport === 't1')
        assert.match(seen, /TCP message received [\s\S]*INVITE sip:/, 'over the TCP connection');
      assert.match(seen, /BYE sip:/, 'the call ended with a BYE through the SBC');
    });
  }

  it('answers 480 for an AOR with no binding', async () => {
    sbc = await startRegistrarSbc();
    const call = await carrierCall(sbc, 'bob', 'invite-uac-expect-error.xml');
    assert.equal(call.outcome, 'all-succeeded', explain(call));
    assert.match(messages(call), /SIP\/2\.0 480 /);
  });
});
