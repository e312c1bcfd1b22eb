import { strict as assert } from 'node:assert';
import { type SipRequest, parseMessage, validateMessage } from '../../../lib/sip';
import { INVITE, OK_200, REGISTER } from '../../conformance/sample-messages';

const req = (text: string | Buffer): SipRequest => {
  const r = parseMessage(typeof text === 'string' ? Buffer.from(text, 'latin1') : text, { datagram: true });
  assert.ok(r.ok, r.ok ? '' : r.error.message);
  assert.equal(r.value.kind, 'request');
  return r.value;
};

const FOLDED = [
  'OPTIONS sip:u@example.com SIP/2.0',
  'v: SIP/2.0/UDP a.example.com;branch=z9hG4bK1,',
  '  SIP/2.0/TCP b.example.com;branch=z9hG4bK2',
  'VIA : SIP/2.0/UDP c.example.com;branch=z9hG4bK3',
  'f: <sip:a@example.com>;tag=1',
  't: <sip:u@example.com>',
  'i: abc@host',
  'CSeq: 1',
  '\tOPTIONS',
  'Max-Forwards: 70',
  'X-Custom: one,  two',
  'Supported: timer, 100rel',
  'k: path',
  'l: 0',
  '',
  '',
].join('\r\n');

describe('sip/message', () => {
  it('unfolds blanks around a fold into one space and keeps long blank runs intact', () => {
    const tabs = '\t'.repeat(8000);
    const m = req(
      FOLDED.replace('X-Custom: one,  two', `X-Custom: one ${tabs}\r\n \t two${tabs}x\r\n\tthree`),
    );
    assert.equal(m.header('x-custom'), `one two${tabs}x three`);
  });

  it('treats compact and long names alike and unfolds continuation lines', () => {
    const m = req(FOLDED);
    assert.equal(validateMessage(m), undefined);
    assert.deepEqual(
      m.via().map((v) => v.host),
      ['a.example.com', 'b.example.com', 'c.example.com'],
    );
    assert.equal(m.header('Call-ID'), 'abc@host');
    assert.equal(m.header('CALL-ID'), m.header('i'));
    assert.equal(m.header('cseq'), '1 OPTIONS');
    assert.deepEqual(m.headers('supported'), ['timer', '100rel', 'path']);
    assert.deepEqual(m.headers('x-custom'), ['one,  two'], 'unknown headers are not split');
    assert.equal(m.contentLength, 0);
  });

  it('serializes unmodified messages byte-identically', () => {
    for (const b of [INVITE, OK_200, REGISTER, Buffer.from(FOLDED, 'latin1')]) {
      const r = parseMessage(b, { datagram: true });
      assert.ok(r.ok);
      assert.ok(r.value.toBuffer().equals(b));
    }
  });

  it('setHeader re-renders only the changed field and keeps every other byte', () => {
    const m = req(INVITE);
    m.setHeader('Max-Forwards', '68');
    m.prependHeader('Via', 'SIP/2.0/UDP 192.0.2.1;branch=z9hG4bKnew');
    m.removeHeader('P-Asserted-Identity');
    m.appendHeader('X-Trace', 'abc');
    const out = m.toBuffer().toString('latin1');
    const expected = INVITE.toString('latin1')
      .replace('Max-Forwards: 69', 'Max-Forwards: 68')
      .replace('Via: SIP/2.0/UDP 198', 'Via: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bKnew\r\nVia: SIP/2.0/UDP 198')
      .replace(/P-Asserted-Identity: [^\r]*\r\n/, '')
      .replace(/(Content-Length: \d+\r\n)\r\n/, '$1X-Trace: abc\r\n\r\n');
    assert.equal(out, expected);
    assert.equal(m.via()[0]?.branch, 'z9hG4bKnew');
  });

  it('setBody rewrites Content-Length, setUri the request line only', () => {
    const m = req(REGISTER);
    m.setBody(Buffer.from('hello'), 'text/plain');
    m.setUri('sip:other.example.com');
    const again = req(m.toBuffer());
    assert.equal(again.uri, 'sip:other.example.com');
    assert.equal(again.body.toString(), 'hello');
    assert.equal(again.header('content-length'), '5');
    assert.equal(again.header('content-type'), 'text/plain');
  });

  it('keeps bodies as bytes and ignores datagram bytes past Content-Length (§18.3)', () => {
    const bin = Buffer.from([0, 255, 10, 13, 0x80]);
    const head = 'MESSAGE sip:a@b SIP/2.0\r\nContent-Length: 5\r\n\r\n';
    const m = req(Buffer.concat([Buffer.from(head), bin, Buffer.from('garbage')]));
    assert.ok(m.body.equals(bin));
    assert.equal(m.toBuffer().length, head.length + 5);
  });

  it('decodes UTF-8 in reason phrases and header values', () => {
    const r = parseMessage(Buffer.from('SIP/2.0 200 Très bien\r\nSubject: ünïcode\r\n\r\n', 'utf8'), {
      datagram: true,
    });
    assert.ok(r.ok && r.value.kind === 'response');
    assert.equal(r.value.reason, 'Très bien');
    assert.equal(r.value.header('s'), 'ünïcode');
  });
});

describe('sip/message compact()', () => {
  it('keeps only the wire bytes and reads them again on access, edits included', () => {
    const m = req(INVITE);
    m.prependHeader('Via', 'SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK-top');
    m.setUri('sip:+15550000000@192.0.2.2');
    const before = m.toBuffer();
    const fields = m.headerFields();
    const body = Buffer.from(m.body);
    m.compact();
    assert.deepEqual(m.toBuffer(), before);
    assert.deepEqual(m.body, body);
    assert.equal(m.uri, 'sip:+15550000000@192.0.2.2');
    assert.equal(m.via()[0]?.branch, 'z9hG4bK-top');
    assert.deepEqual(m.headerFields(), fields);
    assert.equal(m.cseq().method, 'INVITE');
    m.setHeader('Subject', 'after');
    assert.ok(m.toBuffer().includes('Subject: after\r\n'));
    m.compact();
    m.compact();
    assert.equal(m.header('subject'), 'after');
    const again = parseMessage(m.toBuffer(), { datagram: true });
    assert.ok(again.ok && validateMessage(again.value) === undefined);
  });

  it('a response keeps its status, reason and body', () => {
    const r = parseMessage(OK_200, { datagram: true });
    assert.ok(r.ok && r.value.kind === 'response');
    const res = r.value;
    const wire = res.toBuffer();
    res.compact();
    assert.equal(res.status, 200);
    assert.equal(res.reason, 'OK');
    assert.deepEqual(res.toBuffer(), wire);
    assert.equal(res.to().tag !== undefined, true);
  });
});
