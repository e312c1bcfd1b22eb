import assert from 'node:assert/strict';
import { StreamFramer, type FramerEvent } from '../../../../lib/sip/transport/framer';

const LIMITS = { maxHeaderBytes: 1024, maxBodyBytes: 2048 };

function sipMessage(body = '', lengthHeader = 'Content-Length'): string {
  return (
    'INVITE sip:bob@example.com SIP/2.0\r\n' +
    'Via: SIP/2.0/TCP 192.0.2.1:5060;branch=z9hG4bK776asdhds\r\n' +
    'Call-ID: a84b4c76e66710\r\n' +
    `${lengthHeader}: ${Buffer.byteLength(body)}\r\n\r\n` +
    body
  );
}

function messages(events: FramerEvent[]): string[] {
  return events.flatMap((e) => (e.kind === 'message' ? [e.data.toString('latin1')] : []));
}

function errorCode(events: FramerEvent[]): string | undefined {
  const e = events.find((x) => x.kind === 'error');
  return e?.kind === 'error' ? e.error.code : undefined;
}

describe('StreamFramer', () => {
  it('reassembles a message delivered byte by byte', () => {
    const framer = new StreamFramer(LIMITS);
    const msg = sipMessage('v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\n');
    const events: FramerEvent[] = [];
    for (const byte of Buffer.from(msg)) events.push(...framer.push(Buffer.from([byte])));
    assert.deepEqual(messages(events), [msg]);
    assert.equal(framer.bufferedBytes, 0);
  });

  it('splits several messages arriving in one chunk, including a response', () => {
    const framer = new StreamFramer(LIMITS);
    const a = sipMessage('hello');
    const b = 'SIP/2.0 200 OK\r\nCall-ID: x\r\nContent-Length: 0\r\n\r\n';
    const c = sipMessage();
    const events = framer.push(Buffer.from(a + b + c + 'INVITE sip:'));
    assert.deepEqual(messages(events), [a, b, c]);
    assert.equal(framer.bufferedBytes, 'INVITE sip:'.length);
  });

  it('waits for the whole body before emitting', () => {
    const framer = new StreamFramer(LIMITS);
    const msg = sipMessage('0123456789');
    assert.deepEqual(messages(framer.push(Buffer.from(msg.slice(0, -1)))), []);
    assert.deepEqual(messages(framer.push(Buffer.from(msg.slice(-1)))), [msg]);
  });

  it('accepts compact "l" and odd spacing/case in Content-Length', () => {
    const framer = new StreamFramer(LIMITS);
    const compact = sipMessage('abc', 'l');
    const spaced = sipMessage('abcd', 'CONTENT-length ');
    assert.deepEqual(messages(framer.push(Buffer.from(compact + spaced))), [compact, spaced]);
  });

  it('answers a CRLFCRLF ping between messages and ignores single CRLFs', () => {
    const framer = new StreamFramer(LIMITS);
    const msg = sipMessage();
    const events = framer.push(Buffer.from(`\r\n\r\n${msg}\r\n\r\n\r\n\r\n${msg}\r\n`));
    assert.deepEqual(
      events.map((e) => e.kind),
      ['ping', 'message', 'ping', 'ping', 'message'],
    );
    // A lone CR could still become a CRLF: nothing is emitted until the LF arrives.
    const split = new StreamFramer(LIMITS);
    assert.deepEqual(split.push(Buffer.from('\r\n\r')), []);
    assert.deepEqual(
      split.push(Buffer.from('\n')).map((e) => e.kind),
      ['ping'],
    );
  });

  it('rejects garbage before a start line', () => {
    const framer = new StreamFramer(LIMITS);
    assert.equal(errorCode(framer.push(Buffer.from([0x16, 0x03, 0x01, 0x02]))), 'TRANSPORT_FRAMING');
    // Once failed, it stays failed.
    assert.equal(errorCode(framer.push(Buffer.from(sipMessage()))), 'TRANSPORT_FRAMING');
  });

  it('rejects a first line that is not a SIP start line as soon as it is complete', () => {
    const framer = new StreamFramer(LIMITS);
    assert.equal(errorCode(framer.push(Buffer.from('GET / HTTP/1.1\r\n'))), 'TRANSPORT_FRAMING');
  });

  it('rejects a header section without CRLFCRLF beyond the header limit', () => {
    const framer = new StreamFramer(LIMITS);
    const start = 'OPTIONS sip:a@b SIP/2.0\r\n';
    assert.equal(errorCode(framer.push(Buffer.from(start))), undefined);
    let code: string | undefined;
    for (let i = 0; i < 100 && code === undefined; i++) {
      code = errorCode(framer.push(Buffer.from('X-Filler: 0123456789abcdef\r\n')));
    }
    assert.equal(code, 'TRANSPORT_HEADER_TOO_LARGE');
  });

  it('rejects a Content-Length above the body limit without waiting for the body', () => {
    const framer = new StreamFramer(LIMITS);
    const head = 'MESSAGE sip:a@b SIP/2.0\r\nContent-Length: 999999999999999\r\n\r\n';
    assert.equal(errorCode(framer.push(Buffer.from(head))), 'TRANSPORT_BODY_TOO_LARGE');
    const justOver = new StreamFramer(LIMITS);
    const over = `MESSAGE sip:a@b SIP/2.0\r\nl: ${LIMITS.maxBodyBytes + 1}\r\n\r\n`;
    assert.equal(errorCode(justOver.push(Buffer.from(over))), 'TRANSPORT_BODY_TOO_LARGE');
  });

  it('requires a Content-Length on a stream', () => {
    const framer = new StreamFramer(LIMITS);
    const noLength = 'OPTIONS sip:a@b SIP/2.0\r\nCall-ID: x\r\n\r\n';
    assert.equal(errorCode(framer.push(Buffer.from(noLength))), 'TRANSPORT_CONTENT_LENGTH_MISSING');
  });

  it('rejects malformed or conflicting Content-Length values', () => {
    const bad = 'OPTIONS sip:a@b SIP/2.0\r\nContent-Length: 12abc\r\n\r\n';
    assert.equal(
      errorCode(new StreamFramer(LIMITS).push(Buffer.from(bad))),
      'TRANSPORT_CONTENT_LENGTH_INVALID',
    );
    const twice = 'OPTIONS sip:a@b SIP/2.0\r\nContent-Length: 1\r\nl: 2\r\n\r\nab';
    assert.equal(
      errorCode(new StreamFramer(LIMITS).push(Buffer.from(twice))),
      'TRANSPORT_CONTENT_LENGTH_INVALID',
    );
    const same = 'OPTIONS sip:a@b SIP/2.0\r\nContent-Length: 2\r\nl: 02\r\n\r\nab';
    assert.equal(messages(new StreamFramer(LIMITS).push(Buffer.from(same))).length, 1);
  });

  it('does not mistake a body header-alike or a folded header for Content-Length', () => {
    const framer = new StreamFramer(LIMITS);
    const body = 'Content-Length: 999\r\n';
    const msg =
      'MESSAGE sip:a@b SIP/2.0\r\nSubject: first\r\n line Content-Length: 5\r\n' +
      `Content-Length: ${body.length}\r\n\r\n${body}`;
    assert.deepEqual(messages(framer.push(Buffer.from(msg))), [msg]);
  });

  it('keeps body bytes binary-exact', () => {
    const framer = new StreamFramer(LIMITS);
    const body = Buffer.from([0, 1, 2, 0xff, 0x0d, 0x0a, 0x0d, 0x0a, 0x80]);
    const head = Buffer.from(`MESSAGE sip:a@b SIP/2.0\r\nContent-Length: ${body.length}\r\n\r\n`);
    const events = framer.push(Buffer.concat([head, body]));
    const first = events[0];
    assert.ok(first?.kind === 'message');
    assert.deepEqual(first.data.subarray(head.length), body);
  });
});
