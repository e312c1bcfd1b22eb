import { strict as assert } from 'node:assert';
import { createRequire } from 'node:module';
import { equalsLowerCase, headerNameLookup, installHeaderLookup } from '../../../lib/sbc/srf-header-lookup';

interface SrfSipMessage {
  headers: Record<string, unknown>;
  getHeaderName(hdr: string): string | undefined;
  get(hdr: string): string | undefined;
  has(hdr: string): boolean;
}
const srfRequire = createRequire(require.resolve('drachtio-srf'));
const SipMessage = srfRequire('./sip-parser/message') as {
  new (raw: string): SrfSipMessage;
  prototype: SrfSipMessage;
};

/** srf 5's own lookup, as it is written there: the reference the replacement must agree with. */
function srfLookup(this: { headers: Record<string, unknown> }, hdr: string): string | undefined {
  const wanted = hdr.toLowerCase();
  return Object.keys(this.headers).find((h) => h.toLowerCase() === wanted);
}

const INVITE = [
  'INVITE sip:bob@example.com SIP/2.0',
  'Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK1',
  'From: <sip:alice@example.com>;tag=1',
  'To: <sip:bob@example.com>',
  'Call-ID: abc@192.0.2.1',
  'CSeq: 1 INVITE',
  'X-Custom-Thing: 1',
  'P-Asserted-Identity: <sip:alice@example.com>',
  'Content-Length: 0',
  '',
  '',
].join('\r\n');

describe('sbc/srf-header-lookup', () => {
  it('folds ASCII letters only and falls back to toLowerCase for other characters', () => {
    assert.ok(equalsLowerCase('Call-ID', 'call-id'));
    assert.ok(!equalsLowerCase('Call-IE', 'call-id'));
    assert.ok(!equalsLowerCase('Call-I', 'call-id'));
    assert.ok(!equalsLowerCase('[', '{'), 'no folding outside A-Z');
    assert.ok(equalsLowerCase('X-ÄB', 'x-äb'));
    assert.ok(!equalsLowerCase('X-ÄB', 'x-ab'));
  });

  it('answers as srf does for every case of every header name, present or not', () => {
    const holders = [
      { headers: { 'Call-ID': 'a', cseq: '1', From: 'f', 'x-Mixed': 'm', 'X-ÄB': 'u' } },
      { headers: { to: 't', To: 'T' } }, // two spellings: the first in key order wins
      { headers: Object.assign(Object.create({ inherited: 'no' }) as Record<string, unknown>, { via: 'v' }) },
      { headers: {} },
    ];
    const asked = ['call-id', 'CALL-ID', 'Call-Id', 'cseq', 'CSeq', 'from', 'TO', 'x-mixed', 'x-äb', 'X-ÄB'];
    asked.push('inherited', 'via', 'Via', 'contact', '');
    for (const holder of holders)
      for (const hdr of asked)
        assert.equal(
          headerNameLookup.call(holder, hdr),
          srfLookup.call(holder, hdr),
          `${hdr} in ${JSON.stringify(holder.headers)}`,
        );
  });

  it('is what srf messages use once installed, with get/has unchanged', () => {
    assert.equal(installHeaderLookup(), true);
    assert.equal(Reflect.get(SipMessage.prototype, 'getHeaderName'), headerNameLookup);
    assert.equal(installHeaderLookup(), true, 'a second install is a no-op');
    const msg = new SipMessage(INVITE);
    assert.equal(msg.get('call-id'), 'abc@192.0.2.1');
    assert.equal(msg.get('CALL-ID'), 'abc@192.0.2.1');
    assert.equal(msg.get('x-custom-thing'), '1');
    assert.ok(msg.has('p-asserted-identity'));
    assert.ok(!msg.has('Record-Route'));
    assert.equal(msg.get('Contact'), undefined);
  });
});
