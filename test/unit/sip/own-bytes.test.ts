/**
 * SipMessage.ownBytes: a message parsed from a slice of a larger buffer (Node's 8 KB pool, a
 * datagram) moves into an allocation of its own; bytes, headers, body and later edits unchanged.
 */
import assert from 'node:assert/strict';
import { parseMessage, type SipRequest } from '../../../lib/sip';

const text =
  'INVITE sip:bob@192.0.2.4 SIP/2.0\r\nVia: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bK1\r\n' +
  'From: <sip:a@192.0.2.1>;tag=1\r\nTo: <sip:bob@192.0.2.4>\r\nCall-ID: c1\r\nCSeq: 1 INVITE\r\n' +
  'Max-Forwards: 70\r\nContent-Type: application/sdp\r\nContent-Length: 4\r\n\r\nv=0\n';

function parsedFromSlice(): { req: SipRequest; big: Buffer } {
  const big = Buffer.alloc(8192, 0x20);
  const at = 1000;
  big.write('\r\n' + text, at, 'latin1'); // a leading CRLF keep-alive: base > 0
  const r = parseMessage(big.subarray(at, at + 2 + text.length), { datagram: true });
  assert.ok(r.ok);
  assert.ok(r.value.kind === 'request');
  return { req: r.value, big };
}

describe('SipMessage.ownBytes', () => {
  it('copies the message out of the larger buffer, bytes and headers unchanged', () => {
    const { req, big } = parsedFromSlice();
    const before = req.toBuffer().toString('latin1');
    assert.equal(req.body.buffer, big.buffer, 'parsed as a view of the input');
    req.ownBytes();
    assert.notEqual(req.body.buffer, big.buffer);
    assert.equal(req.body.buffer.byteLength, text.length, 'exactly the message, nothing around it');
    big.fill(0x78); // the old buffer is reused elsewhere
    assert.equal(req.toBuffer().toString('latin1'), before);
    assert.equal(req.body.toString('latin1'), 'v=0\n');
    assert.equal(req.callId(), 'c1');
    req.ownBytes(); // idempotent
    assert.equal(req.toBuffer().toString('latin1'), before);
  });

  it('keeps later edits and a replaced body working', () => {
    const { req } = parsedFromSlice();
    req.ownBytes();
    req.setHeader('Max-Forwards', '69');
    req.setBody(Buffer.from('v=1\n'), 'application/sdp');
    req.ownBytes();
    const out = req.toBuffer().toString('latin1');
    assert.match(out, /\r\nMax-Forwards: 69\r\n/);
    assert.ok(out.endsWith('\r\n\r\nv=1\n'), out);
  });
});
