/** Which app requests the engine turns into CRLF pings (lib/engine/core/crlf-keepalive.ts). */
import { strict as assert } from 'node:assert';
import { CRLF_PING, isCrlfKeepalive } from '../../../lib/engine/core/crlf-keepalive';

const request = (method: string, headers: [string, string][]) => ({
  kind: 'request' as const,
  method,
  uri: 'sip:phone@192.168.1.20:5060',
  headers,
  body: Buffer.alloc(0),
});

describe('engine: CRLF keepalive requests', () => {
  it('only an OPTIONS with X-Palisade-Keepalive: crlf (any case) is one', () => {
    assert.equal(isCrlfKeepalive(request('OPTIONS', [['X-Palisade-Keepalive', 'crlf']])), true);
    assert.equal(isCrlfKeepalive(request('OPTIONS', [['x-palisade-keepalive', ' CRLF ']])), true);
    assert.equal(isCrlfKeepalive(request('OPTIONS', [])), false);
    assert.equal(isCrlfKeepalive(request('OPTIONS', [['X-Palisade-Keepalive', 'stun']])), false);
    assert.equal(isCrlfKeepalive(request('INFO', [['X-Palisade-Keepalive', 'crlf']])), false);
  });

  it('the ping is the RFC 5626 §4.4.1 double CRLF', () => {
    assert.equal(CRLF_PING.toString('latin1'), '\r\n\r\n');
  });
});
