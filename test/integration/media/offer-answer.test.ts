/**
 * Offer/answer through a real rtpengine: SDP rewriting towards both legs, NAT legs with private
 * addresses, RTP/AVP <-> RTP/SAVP interworking, hold/resume re-offers, delete.
 */
import assert from 'node:assert/strict';
import type { MediaError } from '../../../lib/media/media-error';
import type { RtpenginePool } from '../../../lib/media/rtpengine-pool';
import { audioSdp, isPrivateV4, sdpFacts } from '../../support/sdp-fixture';
import { MediaFixture, carrier, natCustomer, publicCustomer } from './media-fixture';

describe('media offer/answer with a real rtpengine', function () {
  this.timeout(30_000);
  const fx = new MediaFixture();
  let pool: RtpenginePool;

  before(async () => {
    const engine = await fx.engine();
    pool = await fx.pool([engine.ng]);
  });
  after(() => fx.close());

  it('rewrites c= and m= to rtpengine on loopback for both legs', async () => {
    const s = fx.session(pool);
    const offered = sdpFacts(
      await s.offer(audioSdp({ address: '127.0.0.1', port: 40000 }), publicCustomer, carrier),
    );
    assert.deepEqual(offered.connections, ['127.0.0.1']);
    assert.notEqual(offered.mediaPort, 40000);
    assert.equal(offered.proto, 'RTP/AVP');
    const answered = sdpFacts(
      await s.answer(audioSdp({ address: '127.0.0.1', port: 40100 }), carrier, publicCustomer),
    );
    assert.deepEqual(answered.connections, ['127.0.0.1']);
    assert.notEqual(answered.mediaPort, 40100);
    assert.notEqual(answered.mediaPort, offered.mediaPort, 'each leg gets its own port');
    const stats = await s.query();
    assert.equal(stats.legs['leg-a']?.localPort, answered.mediaPort);
    assert.equal(stats.legs['leg-b']?.localPort, offered.mediaPort);
    await s.delete();
  });

  it('latches a NAT leg and never shows its private address to the other side', async () => {
    const s = fx.session(pool);
    const sdp = audioSdp({ address: '192.168.1.20', port: 7078 });
    const offered = await s.offer(sdp, natCustomer, carrier);
    const f = sdpFacts(offered);
    assert.ok(!/192\.168\./.test(offered), offered);
    assert.ok(f.connections.every((c) => !isPrivateV4(c)) && !isPrivateV4(f.origin.split(' ').at(-1) ?? ''));
    await s.answer(audioSdp({ address: '127.0.0.1', port: 40200 }), carrier, natCustomer);
    const a = (await s.query()).legs['leg-a'];
    assert.deepEqual(
      a?.endpoint,
      { address: '127.0.0.1', port: 7078 },
      'SIP source address, not the SDP one',
    );
    await s.delete();
  });

  it('interworks RTP/AVP and RTP/SAVP with SDES crypto on the SRTP side only', async () => {
    const s = fx.session(pool);
    const srtpCustomer = { ...publicCustomer, transport: 'RTP/SAVP' as const };
    const offered = sdpFacts(
      await s.offer(audioSdp({ address: '127.0.0.1', port: 40300 }), carrier, srtpCustomer),
    );
    assert.equal(offered.proto, 'RTP/SAVP');
    assert.ok(offered.crypto.length > 0, 'a=crypto offered to the SAVP leg');
    const cryptoLine = offered.crypto.find((c) => c.includes('AES_CM_128_HMAC_SHA1_80')) ?? '';
    const answerSdp = audioSdp({ address: '127.0.0.1', port: 40400, proto: 'RTP/SAVP', extra: [cryptoLine] });
    const answered = sdpFacts(await s.answer(answerSdp, srtpCustomer, carrier));
    assert.equal(answered.proto, 'RTP/AVP');
    assert.deepEqual(answered.crypto, [], 'no crypto towards the plain RTP carrier');
    await s.delete();
  });

  it('keeps ports across hold (sendonly) and resume re-offers in both directions', async () => {
    const s = fx.session(pool);
    const toB = sdpFacts(
      await s.offer(audioSdp({ address: '127.0.0.1', port: 40500 }), publicCustomer, carrier),
    );
    const toA = sdpFacts(
      await s.answer(audioSdp({ address: '127.0.0.1', port: 40600 }), carrier, publicCustomer),
    );

    const hold = audioSdp({ address: '127.0.0.1', port: 40500, direction: 'sendonly', version: 2 });
    const heldB = sdpFacts(await s.offer(hold, publicCustomer, carrier));
    assert.equal(heldB.mediaPort, toB.mediaPort);
    assert.equal(heldB.direction, 'sendonly');
    const heldA = await s.answer(
      audioSdp({ address: '127.0.0.1', port: 40600, direction: 'recvonly' }),
      carrier,
      publicCustomer,
    );
    assert.equal(sdpFacts(heldA).mediaPort, toA.mediaPort);
    assert.equal(sdpFacts(heldA).direction, 'recvonly');

    // The carrier resumes (callee-side re-INVITE): offer from B to A with the same tags.
    const resumeA = sdpFacts(
      await s.offer(audioSdp({ address: '127.0.0.1', port: 40600, version: 3 }), carrier, publicCustomer),
    );
    assert.equal(resumeA.mediaPort, toA.mediaPort);
    assert.equal(resumeA.direction ?? 'sendrecv', 'sendrecv');
    const resumeB = sdpFacts(
      await s.answer(audioSdp({ address: '127.0.0.1', port: 40500, version: 3 }), publicCustomer, carrier),
    );
    assert.equal(resumeB.mediaPort, toB.mediaPort);
    await s.delete();
  });

  it('releases the call on delete (idempotent) and rejects use afterwards', async () => {
    const s = fx.session(pool);
    await s.offer(audioSdp({ address: '127.0.0.1', port: 40700 }), publicCustomer, carrier);
    await s.answer(audioSdp({ address: '127.0.0.1', port: 40800 }), carrier, publicCustomer);
    const engine = s.engine!;
    const final = await s.delete();
    assert.ok(final && Object.keys(final.legs).length === 2, 'final counters from the delete reply');
    assert.equal(await s.delete(), final, 'second delete is the same no-op');
    await assert.rejects(fx.client.query(engine, { 'call-id': s.callId }), (e: MediaError) => {
      assert.equal(e.code, 'MEDIA_UNKNOWN_CALL');
      return true;
    });
    await assert.rejects(s.query(), { code: 'MEDIA_SESSION_CLOSED' });
  });

  it('maps an SDP rtpengine cannot use to 488', async () => {
    const s = fx.session(pool);
    await assert.rejects(s.offer('v=0\r\nthis is not sdp\r\n', publicCustomer, carrier), (e: MediaError) => {
      assert.equal(e.code, 'MEDIA_REJECTED');
      assert.equal(e.sipStatus, 488);
      return true;
    });
  });
});
