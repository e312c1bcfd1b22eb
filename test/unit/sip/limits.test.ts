import { strict as assert } from 'node:assert';
import { errorResponse, parseMessage, validateMessage } from '../../../lib/sip';

const HEAD =
  'OPTIONS sip:u@example.com SIP/2.0\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\nFrom: <sip:a@b>;tag=1\r\nTo: <sip:u@example.com>\r\nCall-ID: c1\r\nCSeq: 1 OPTIONS\r\n';

function status(text: string, datagram = true, limits = {}): number | undefined {
  const r = parseMessage(Buffer.from(text, 'latin1'), { datagram, limits });
  if (r.ok) return validateMessage(r.value)?.sipStatus ?? 200;
  return r.error.sipStatus;
}

describe('sip/limits and error statuses', () => {
  it('maps each limit and framing error to its status', () => {
    assert.equal(status(HEAD + 'Content-Length: 0\r\n\r\n'), 200);
    assert.equal(status(HEAD + 'X: ' + 'a'.repeat(70_000) + '\r\n\r\n'), 513);
    assert.equal(status(HEAD + 'X: y\r\n'.repeat(300) + '\r\n'), 400);
    assert.equal(status(HEAD + 'X: ' + 'a'.repeat(9000) + '\r\n\r\n'), 400);
    assert.equal(status(HEAD + 'X: ' + 'a'.repeat(9000) + '\r\n\r\n', true, { maxLineBytes: 10_000 }), 200);
    assert.equal(status(HEAD + 'Content-Length: 10\r\n\r\nshort'), 400);
    assert.equal(status(HEAD + 'Content-Length: five\r\n\r\n'), 400);
    assert.equal(status(HEAD.replace('SIP/2.0\r\n', 'SIP/3.0\r\n') + '\r\n'), 505);
    assert.equal(status(HEAD.replace('1 OPTIONS', '1 INVITE') + '\r\n'), 400);
    assert.equal(status(HEAD.replace(/Call-ID: c1\r\n/, '') + '\r\n'), 400);
  });

  it('on a stream, a short body is "incomplete" (no status), not an error to answer', () => {
    const r = parseMessage(Buffer.from(HEAD + 'Content-Length: 10\r\n\r\nshort'), { datagram: false });
    assert.ok(!r.ok);
    assert.equal(r.error.code, 'SIP_INCOMPLETE');
    assert.equal(r.error.sipStatus, undefined);
  });

  it('builds a stateless error response from what is still readable', () => {
    const r = parseMessage(Buffer.from(HEAD + 'Content-Length: -1\r\n\r\n'), { datagram: true });
    assert.ok(!r.ok);
    const reply = errorResponse(r.error);
    assert.ok(reply !== undefined);
    const text = reply.toString();
    assert.match(text, /^SIP\/2\.0 400 Bad Request\r\nVia: SIP\/2\.0\/UDP h;branch=z9hG4bK1\r\n/);
    assert.match(text, /\r\nTo: <sip:u@example\.com>;tag=pal[0-9a-f]+\r\n/);
    assert.match(text, /\r\nCall-ID: c1\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n$/);
  });

  it('reports invalid responses without a status (they are dropped)', () => {
    const r = parseMessage(Buffer.from('SIP/2.0 4294967301 x\r\n\r\n'), { datagram: true });
    assert.ok(!r.ok);
    assert.equal(r.error.kind, 'response');
    assert.equal(r.error.sipStatus, undefined);
    assert.equal(errorResponse(r.error), undefined);
  });
});
