import { strict as assert } from 'node:assert';
import { sdpAddresses } from '../../../../lib/sbc/nat/sdp-addresses';

const sdp = (...lines: string[]): string => `${lines.join('\r\n')}\r\n`;

describe('sbc/nat/sdp-addresses', () => {
  it('reads o=, session c=, m= ports and a=rtcp, with media-level c= overriding', () => {
    const found = sdpAddresses(
      sdp(
        'v=0',
        'o=alice 2890844526 2890844527 IN IP4 192.168.1.20',
        's=-',
        'c=IN IP4 192.168.1.20',
        't=0 0',
        'm=audio 49170 RTP/AVP 0 8',
        'a=rtcp:49171 IN IP4 192.168.1.21',
        'm=video 51372/2 RTP/AVP 99',
        'c=IN IP4 203.0.113.7',
        'a=rtcp:53020',
      ),
    );
    assert.equal(found.origin, '192.168.1.20');
    assert.equal(found.sessionConnection, '192.168.1.20');
    assert.deepEqual(found.connections, ['192.168.1.20', '203.0.113.7']);
    assert.deepEqual(found.media, [
      {
        type: 'audio',
        port: 49170,
        connection: '192.168.1.20',
        rtcpPort: 49171,
        rtcpAddress: '192.168.1.21',
      },
      { type: 'video', port: 51372, connection: '203.0.113.7', rtcpPort: 53020, rtcpAddress: undefined },
    ]);
  });

  it('handles LF line ends, IPv6, multicast TTL suffixes and ignores non-IN address types', () => {
    const found = sdpAddresses(
      [
        'v=0',
        'o=- 1 1 IN IP6 fd00::5',
        'c=IN IP4 233.252.0.1/127/3',
        'm=audio 0 RTP/AVP 0',
        'c=ATM NSAP 47.0005',
        'm=audio 7000 RTP/AVP 0',
        'c=IN IP6 2001:db8::7',
      ].join('\n'),
    );
    assert.equal(found.origin, 'fd00::5');
    assert.deepEqual(found.connections, ['233.252.0.1', '2001:db8::7']);
    assert.deepEqual(
      found.media.map((m) => [m.port, m.connection]),
      [
        [0, '233.252.0.1'],
        [7000, '2001:db8::7'],
      ],
    );
  });

  it('yields nothing from an empty or non-SDP body', () => {
    assert.deepEqual(sdpAddresses(''), {
      origin: undefined,
      sessionConnection: undefined,
      connections: [],
      media: [],
    });
    assert.deepEqual(sdpAddresses('<xml/>').media, []);
  });

  it('bounds the number of streams it reads', () => {
    const many = sdp('v=0', ...Array.from({ length: 100 }, (_, i) => `m=audio ${2000 + 2 * i} RTP/AVP 0`));
    assert.equal(sdpAddresses(many).media.length, 32);
  });

  it('rejects out-of-range ports as 0 / undefined', () => {
    const found = sdpAddresses(sdp('v=0', 'm=audio 70000 RTP/AVP 0', 'a=rtcp:99999'));
    assert.deepEqual(
      found.media.map((m) => [m.port, m.rtcpPort]),
      [[0, undefined]],
    );
  });
});
