/**
 * Engine choice at offer time with real rtpengines: a dead engine never gets the call, whether
 * the pool already knows it is dead or it dies after its last good health ping.
 */
import assert from 'node:assert/strict';
import { freeUdpPort } from '../../support/ports';
import { audioSdp, sdpFacts } from '../../support/sdp-fixture';
import { MediaFixture, carrier, publicCustomer } from './media-fixture';

describe('media engine failover at offer time', function () {
  this.timeout(30_000);
  const fx = new MediaFixture();
  after(() => fx.close());

  it('lands the call on the live engine when the pool knows the other is dead', async () => {
    const dead = { host: '127.0.0.1', port: await freeUdpPort() };
    const live = await fx.engine();
    const pool = await fx.pool([dead, live.ng]);
    assert.deepEqual(
      pool.statuses().map((s) => s.up),
      [false, true],
    );
    const s = fx.session(pool);
    await s.offer(audioSdp({ address: '127.0.0.1', port: 41000 }), publicCustomer, carrier);
    assert.deepEqual(s.engine, live.ng);
    await s.delete();
  });

  it('tries the next live engine when the chosen one died since its last ping, then stays there', async () => {
    const first = await fx.engine();
    const second = await fx.engine();
    const pool = await fx.pool([first.ng, second.ng], () => 0); // always prefers `first`
    await first.stop(); // the pool still believes it is up
    const s = fx.session(pool);
    const toB = sdpFacts(
      await s.offer(audioSdp({ address: '127.0.0.1', port: 41100 }), publicCustomer, carrier),
    );
    assert.deepEqual(s.engine, second.ng);
    await s.answer(audioSdp({ address: '127.0.0.1', port: 41200 }), carrier, publicCustomer);
    const reoffer = audioSdp({ address: '127.0.0.1', port: 41100, version: 2 });
    assert.equal(sdpFacts(await s.offer(reoffer, publicCustomer, carrier)).mediaPort, toB.mediaPort);
    assert.deepEqual(s.engine, second.ng, 'sticky for the life of the call');
    await s.delete();
  });

  it('answers 503 when no engine is up', async () => {
    const pool = await fx.pool([{ host: '127.0.0.1', port: await freeUdpPort() }]);
    await assert.rejects(
      fx.session(pool).offer(audioSdp({ address: '127.0.0.1', port: 41300 }), publicCustomer, carrier),
      {
        code: 'MEDIA_NO_ENGINE',
        sipStatus: 503,
      },
    );
  });
});
