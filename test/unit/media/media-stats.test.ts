import assert from 'node:assert/strict';
import { oneWayLegs, parseQueryReply } from '../../../lib/media/media-stats';
import { checkReply } from '../../../lib/media/ng-reply';
import { MediaError } from '../../../lib/media/media-error';

const stream = (rtp: boolean, packets: number, port: number, last = 1700000000) => ({
  'local port': port,
  endpoint: { family: 'IPv4', address: '192.0.2.1', port: port + 1000 },
  'last packet': last,
  flags: [rtp ? 'RTP' : 'RTCP', 'filled'],
  stats: { packets, bytes: packets * 172, errors: 0 },
});
const tag = (name: string, peer: string, packets: number, port: number) => ({
  tag: name,
  subscriptions: [{ tag: peer, type: 'offer/answer' }],
  medias: [{ index: 1, type: 'audio', streams: [stream(true, packets, port), stream(false, 3, port + 1)] }],
});

describe('media stats from an ng query reply', () => {
  it('counts RTP per leg in both directions, ignoring RTCP', () => {
    const s = parseQueryReply({
      result: 'ok',
      tags: { A: tag('A', 'B', 10, 30000), B: tag('B', 'A', 0, 30010) },
      totals: { RTP: { packets: 10, bytes: 1720 }, RTCP: { packets: 6, bytes: 1 } },
    });
    assert.deepEqual(s.legs.A, {
      tag: 'A',
      fromLeg: { packets: 10, bytes: 1720 },
      toLeg: { packets: 0, bytes: 0 },
      errors: 0,
      lastPacketAt: 1700000000,
      endpoint: { address: '192.0.2.1', port: 31000 },
      localPort: 30000,
    });
    assert.equal(s.legs.B?.lastPacketAt, undefined, 'no packet yet: no last-packet time');
    assert.deepEqual(s.legs.B?.toLeg, { packets: 10, bytes: 1720 });
    assert.deepEqual(s.rtp, { packets: 10, bytes: 1720 });
    assert.deepEqual(oneWayLegs(s), ['A']);
  });

  it('tolerates missing or odd fields', () => {
    assert.deepEqual(parseQueryReply({ result: 'ok' }), { legs: {}, rtp: { packets: 0, bytes: 0 } });
    assert.deepEqual(Object.keys(parseQueryReply({ tags: { '': {}, X: { medias: 'nope' } } }).legs), ['X']);
  });
});

describe('ng reply checking', () => {
  const t = { host: '127.0.0.1', port: 2223 };
  const codeOf = (f: () => unknown): [string, number] => {
    try {
      f();
    } catch (e) {
      assert.ok(e instanceof MediaError);
      return [e.code, e.sipStatus];
    }
    throw new Error('did not throw');
  };

  it('maps results to typed errors with SIP statuses', () => {
    assert.deepEqual(checkReply('offer', t, { result: 'ok', sdp: 'v=0' }), { result: 'ok', sdp: 'v=0' });
    assert.deepEqual(
      codeOf(() => checkReply('offer', t, { result: 'error', 'error-reason': 'Failed to parse SDP' })),
      ['MEDIA_REJECTED', 488],
    );
    assert.deepEqual(
      codeOf(() => checkReply('query', t, { result: 'error', 'error-reason': 'Unknown call-id' })),
      ['MEDIA_UNKNOWN_CALL', 500],
    );
    assert.deepEqual(
      codeOf(() => checkReply('offer', t, { result: 'load limit' })),
      ['MEDIA_ENGINE_OVERLOADED', 503],
    );
    assert.deepEqual(
      codeOf(() => checkReply('delete', t, { result: 'error' })),
      ['MEDIA_BAD_REPLY', 500],
    );
    assert.deepEqual(
      codeOf(() => checkReply('answer', t, { nonsense: 1 })),
      ['MEDIA_BAD_REPLY', 500],
    );
  });
});
