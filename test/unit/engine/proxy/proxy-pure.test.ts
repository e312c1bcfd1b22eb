/** The proxy's pure parts: `proxy` frame options (§3.5), best response (RFC 3261 §16.7), redirects. */
import assert from 'node:assert/strict';
import { buildResponse, type SipResponse } from '../../../../lib/sip';
import { chooseBest, collectChallenges, type Candidate } from '../../../../lib/engine/proxy/best-response';
import { parseProxyFrame, parseTimeout, ProxyFrameError } from '../../../../lib/engine/proxy/proxy-options';
import { redirectTargets } from '../../../../lib/engine/proxy/redirects';

const BASE: [string, string][] = [
  ['Via', 'SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bKx'],
  ['From', '<sip:a@x>;tag=1'],
  ['To', '<sip:b@y>;tag=2'],
  ['Call-ID', 'c1'],
  ['CSeq', '1 INVITE'],
];
const res = (status: number, extra: [string, string][] = []): SipResponse =>
  buildResponse(status, 'X', [...BASE, ...extra]);
const cand = (status: number, withResponse = true): Candidate => ({
  status,
  response: withResponse ? res(status) : undefined,
});

describe('proxy frame options (protocol doc §3.5)', () => {
  it('reads flags, forking, timeouts, destinations and the headers to add', () => {
    const f = parseProxyFrame(
      ['t1', 'remainInDialog', 'fullResponse', '', 'simultaneous', '2s', '500ms', 'sip:a', 'sip:b'],
      'INVITE sip:a SIP/2.0\r\nX-Routed-By: sbc-1\r\ncontent-length: 0\r\n\r\n',
    );
    assert.equal(f.txnId, 't1');
    assert.deepEqual(f.options, {
      remainInDialog: true,
      fullResponse: true,
      followRedirects: false,
      forking: 'simultaneous',
      provisionalTimeoutMs: 2000,
      finalTimeoutMs: 500,
      destinations: ['sip:a', 'sip:b'],
    });
    assert.deepEqual(f.headers, [
      ['X-Routed-By', 'sbc-1'],
      ['content-length', '0'],
    ]);
  });

  it('defaults to serial without timeouts; rejects bad timeouts and a missing destination', () => {
    const f = parseProxyFrame(['t1', '', '', 'followRedirects', 'serial', '', '', 'sip:a'], '');
    assert.equal(f.options.forking, 'serial');
    assert.equal(f.options.followRedirects, true);
    assert.equal(f.options.provisionalTimeoutMs, undefined);
    assert.equal(parseTimeout('3'), 3000);
    assert.throws(() => parseTimeout('soon'), ProxyFrameError);
    assert.throws(
      () => parseProxyFrame(['t1', '', '', '', 'serial', '', ''], ''),
      /error proxying request to/,
    );
  });
});

describe('best response (RFC 3261 §16.7 item 6)', () => {
  it('prefers 6xx, then the lowest class, then 401/407/415/420/484 among 4xx', () => {
    assert.equal(chooseBest([cand(486), cand(603), cand(302)])?.status, 603);
    assert.equal(chooseBest([cand(503), cand(486), cand(302)])?.status, 302);
    assert.equal(chooseBest([cand(486), cand(407), cand(404)])?.status, 407);
    assert.equal(chooseBest([cand(500), cand(408, false)])?.status, 408);
    assert.equal(chooseBest([]), undefined);
  });

  it('a forwarded challenge carries every challenge received (§16.7 item 7)', () => {
    const a = res(407, [['Proxy-Authenticate', 'Digest realm="a"']]);
    const b = res(407, [['Proxy-Authenticate', 'Digest realm="b"']]);
    const chosen = res(407, [['Proxy-Authenticate', 'Digest realm="a"']]);
    collectChallenges(chosen, [
      { status: 407, response: a },
      { status: 407, response: b },
    ]);
    assert.deepEqual(chosen.headers('proxy-authenticate'), ['Digest realm="a"', 'Digest realm="b"']);
  });
});

describe('redirect targets (RFC 3261 §16.5)', () => {
  it('takes SIP Contacts of a 3xx, highest q first; none from other responses', () => {
    const r = res(302, [['Contact', '<sip:low@h>;q=0.1, <sip:high@h>;q=0.9, <tel:+1555>']]);
    assert.deepEqual(redirectTargets(r), ['sip:high@h', 'sip:low@h']);
    assert.deepEqual(redirectTargets(res(486, [['Contact', '<sip:x@h>']])), []);
  });
});
