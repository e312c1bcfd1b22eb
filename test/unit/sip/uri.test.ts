import { strict as assert } from 'node:assert';
import { type SipUri, formatUri, parseUri, readUri, unescape } from '../../../lib/sip';

const sip = (s: string): SipUri => {
  const u = readUri(s);
  assert.equal(u.kind, 'sip');
  return u;
};

describe('sip/uri', () => {
  it('parses user, password, host, port, params and headers', () => {
    const u = sip('sips:alice:secret@example.com:5061;transport=tcp;lr?Subject=hi&Priority=urgent');
    assert.equal(u.scheme, 'sips');
    assert.equal(u.user, 'alice');
    assert.equal(u.password, 'secret');
    assert.equal(u.host, 'example.com');
    assert.equal(u.port, 5061);
    assert.deepEqual(
      [...u.params],
      [
        ['transport', 'tcp'],
        ['lr', null],
      ],
    );
    assert.deepEqual(
      [...u.headers],
      [
        ['Subject', 'hi'],
        ['Priority', 'urgent'],
      ],
    );
    assert.equal(
      formatUri(u),
      'sips:alice:secret@example.com:5061;transport=tcp;lr?Subject=hi&Priority=urgent',
    );
  });

  it('allocates no parameter or header maps for URIs that have none', () => {
    const a = sip('sip:alice@192.0.2.1:5060');
    const b = sip('sip:bob@192.0.2.2');
    assert.equal(a.params.size, 0);
    assert.equal(a.headers.size, 0);
    assert.equal(a.params, b.params, 'one shared empty parameter map');
    assert.equal(a.headers, b.headers, 'one shared empty header map');
    const c = sip('sip:carol@192.0.2.3;transport=tcp?subject=hi');
    assert.notEqual(c.params, a.params);
    assert.deepEqual([...c.params], [['transport', 'tcp']]);
    assert.deepEqual([...c.headers], [['subject', 'hi']]);
    assert.equal(formatUri(a), 'sip:alice@192.0.2.1:5060');
    // the shared maps stay empty even for code that casts the read-only type away
    assert.throws(() => (a.params as Map<string, string | null>).set('lr', null), TypeError);
    assert.throws(() => (a.headers as Map<string, string>).set('subject', 'x'), TypeError);
    assert.equal(b.params.size, 0);
  });

  it('keeps IPv6 references bracketed and never reads a port inside the brackets (RFC 5118)', () => {
    assert.equal(sip('sip:[2001:db8::10]:5070').port, 5070);
    const amb = sip('sip:[2001:db8::10:5070]');
    assert.equal(amb.host, '[2001:db8::10:5070]');
    assert.equal(amb.port, undefined);
    assert.equal(parseUri('sip:2001:db8::10').ok, false);
  });

  it('decodes %-escapes exactly once', () => {
    assert.equal(unescape('v%61lue%25%34%31'), 'value%41');
    assert.equal(unescape('null-%00-null'), 'null-\0-null');
    assert.equal(unescape('%ZK'), '%ZK');
    assert.equal(
      unescape(sip('sip:user;par=u%40example.net@example.com').user ?? ''),
      'user;par=u@example.net',
    );
  });

  it('parses tel URIs and keeps unknown schemes opaque', () => {
    const t = readUri('tel:+1-201-555-0123;phone-context=example.com');
    assert.ok(
      t.kind === 'tel' && t.number === '+1-201-555-0123' && t.params.get('phone-context') === 'example.com',
    );
    const o = readUri('soap.beep://192.0.2.103:3002');
    assert.ok(o.kind === 'other' && o.scheme === 'soap.beep' && o.opaque === '//192.0.2.103:3002');
  });

  it('rejects malformed URIs with 400', () => {
    for (const bad of [
      'sip:',
      '<sip:a@b>',
      'sip:a@b c',
      'sip:a@b:99999',
      'sip:a@b;;x',
      'sip:@b',
      ' sip:a@b',
    ]) {
      const r = parseUri(bad);
      assert.ok(!r.ok, bad);
      assert.equal(r.error.sipStatus, 400);
    }
  });
});
