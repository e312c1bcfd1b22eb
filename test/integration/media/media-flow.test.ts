/**
 * Real RTP through a real rtpengine: a NAT customer whose SDP names a private address and a wrong
 * port is reached after latching onto its first packet; packets are counted per leg; media
 * timeouts are detected both by our watcher and when rtpengine's own --timeout ends the call.
 */
import assert from 'node:assert/strict';
import type { MediaSession } from '../../../lib/media/media-session';
import { watchMediaTimeout, type MediaTimeoutEvent } from '../../../lib/media/media-timeout';
import { eventually } from '../../support/http';
import { RtpEndpoint, rtpSeq } from '../../support/rtp';
import { audioSdp, sdpFacts } from '../../support/sdp-fixture';
import { MediaFixture, carrier, natCustomer } from './media-fixture';

interface Call {
  session: MediaSession;
  a: RtpEndpoint;
  b: RtpEndpoint;
  /** rtpengine's port facing leg A (A sends here) and facing leg B. */
  portForA: number;
  portForB: number;
}

async function natToCarrierCall(session: MediaSession, endpoints: RtpEndpoint[]): Promise<Call> {
  const a = await RtpEndpoint.open();
  const b = await RtpEndpoint.open();
  endpoints.push(a, b);
  // A is behind NAT: its SDP says 192.168.1.20:7078, it really sends from 127.0.0.1:a.port.
  const toB = await session.offer(audioSdp({ address: '192.168.1.20', port: 7078 }), natCustomer, carrier);
  const toA = await session.answer(audioSdp({ address: '127.0.0.1', port: b.port }), carrier, natCustomer);
  return { session, a, b, portForA: sdpFacts(toA).mediaPort, portForB: sdpFacts(toB).mediaPort };
}

describe('media flow through a real rtpengine', function () {
  this.timeout(30_000);
  const fx = new MediaFixture();
  const endpoints: RtpEndpoint[] = [];

  after(async () => {
    for (const e of endpoints) e.close();
    await fx.close();
  });

  it('relays RTP both ways after latching onto the NAT leg, and counts it per leg', async () => {
    const pool = await fx.pool([(await fx.engine()).ng]);
    const call = await natToCarrierCall(fx.session(pool), endpoints);

    await call.a.stream(call.portForA, 10, 0x1111);
    await eventually(() => {
      assert.equal(call.b.received.length, 10);
    });
    assert.deepEqual(call.b.received[0]?.from, { address: '127.0.0.1', port: call.portForB });
    assert.equal(rtpSeq(call.b.received[9]!.data), 10);

    await call.b.stream(call.portForB, 5, 0x2222);
    await eventually(() => {
      assert.equal(call.a.received.length, 5, 'latched to the real port');
    });

    const stats = await call.session.query();
    const legA = stats.legs['leg-a']!;
    assert.equal(legA.fromLeg.packets, 10);
    assert.equal(legA.fromLeg.bytes, 10 * 172);
    assert.equal(legA.toLeg.packets, 5);
    assert.equal(stats.legs['leg-b']!.fromLeg.packets, 5);
    assert.deepEqual(legA.endpoint, { address: '127.0.0.1', port: call.a.port });
    assert.ok((legA.lastPacketAt ?? 0) > 0);

    // strict source: once latched, packets from anyone else are not relayed.
    const intruder = await RtpEndpoint.open();
    endpoints.push(intruder);
    await intruder.stream(call.portForA, 3, 0x6666, 100);
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(call.b.received.length, 10, 'intruder packets dropped');
    await call.session.delete();
  });

  it('reports no-media when RTP stops, not while it flows', async () => {
    const pool = await fx.pool([(await fx.engine()).ng]);
    const call = await natToCarrierCall(fx.session(pool), endpoints);
    const events: MediaTimeoutEvent[] = [];
    // Start watching once audio flows (2.5 s of it), with a 2 s timeout: margins that hold on a
    // busy 2-core machine, while a watcher that ignored RTP would still fire during the stream.
    const streaming = call.a.stream(call.portForA, 125, 0x3333);
    await new Promise((r) => setTimeout(r, 300));
    const watch = watchMediaTimeout(call.session, 100, 2, (e) => events.push(e));
    await streaming;
    assert.equal(events.length, 0, 'no timeout while media flows');
    await eventually(() => {
      assert.equal(events.length, 1);
    }, 8000);
    assert.equal(events[0]!.reason, 'no-media');
    assert.ok(events[0]!.idleMs >= 2000);
    watch.stop();
    await call.session.delete();
  });

  it('reports engine-ended when rtpengine times the call out by itself', async () => {
    const pool = await fx.pool([(await fx.engine({ mediaTimeoutSeconds: 1 })).ng]);
    const call = await natToCarrierCall(fx.session(pool), endpoints);
    const events: MediaTimeoutEvent[] = [];
    const watch = watchMediaTimeout(call.session, 200, 600, (e) => events.push(e));
    await eventually(() => {
      assert.equal(events.length, 1);
    }, 10_000);
    assert.equal(events[0]?.reason, 'engine-ended');
    watch.stop();
    assert.equal(await call.session.delete(), undefined, 'delete of an ended call is quiet');
  });
});
