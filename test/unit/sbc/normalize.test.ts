import { strict as assert } from 'node:assert';
import {
  IDENTITY_RULE,
  type NormalizeRule,
  normalizeNameAddr,
  normalizeNumber,
  normalizeRequest,
  normalizeUri,
} from '../../../lib/sbc/routing/normalize';
import { trunksOf } from './helpers';

const rule = (over: Partial<NormalizeRule>): NormalizeRule => ({ ...IDENTITY_RULE, ...over });
const nl = { countryCode: '31' };
const ADD = rule({ e164: 'add', ...nl });
const REMOVE = rule({ e164: 'remove', ...nl });

describe('sbc/routing/normalize numbers', () => {
  const cases: [string, NormalizeRule, string, string][] = [
    ['national → E.164', ADD, '0201234567', '+31201234567'],
    ['international prefix → E.164', ADD, '00442071234567', '+442071234567'],
    ['already E.164 stays', ADD, '+31201234567', '+31201234567'],
    ['short code without prefix stays', ADD, '112', '112'],
    ['E.164 home country → national', REMOVE, '+31201234567', '0201234567'],
    ['E.164 foreign → international prefix', REMOVE, '+442071234567', '00442071234567'],
    ['already national stays', REMOVE, '0201234567', '0201234567'],
    [
      'US style: 011 intl, 1 national',
      rule({ e164: 'remove', countryCode: '1', nationalPrefix: '1', internationalPrefix: '011' }),
      '+442071234567',
      '011442071234567',
    ],
    ['strip a tech prefix', rule({ stripPrefix: '9' }), '9020123', '020123'],
    ['strip only when it is a prefix', rule({ stripPrefix: '9' }), '020123', '020123'],
    ['strip then add E.164', rule({ stripPrefix: '9', ...ADD }), '90201234567', '+31201234567'],
    [
      'add a technical prefix last',
      rule({ e164: 'remove', ...nl, addPrefix: '1234%23' }),
      '+31201',
      '1234%230201',
    ],
    ['add "+" for carriers sending 1NXX without +', rule({ addPrefix: '+' }), '12125550100', '+12125550100'],
    ['strip "+" only', rule({ stripPrefix: '+' }), '+12125550100', '12125550100'],
    ['non-numbers are left alone', rule({ ...ADD, addPrefix: '9' }), 'alice', 'alice'],
    ['identity rule changes nothing', IDENTITY_RULE, '0201234567', '0201234567'],
  ];
  for (const [title, r, input, expected] of cases) {
    it(`${title}: ${input} → ${expected}`, () => {
      assert.equal(normalizeNumber(input, r), expected);
    });
  }

  const e164 = ['+31201234567', '+442071234567', '+12125550100', '+3197010000000'];
  for (const number of e164) {
    it(`round trip add(remove(${number})) is the identity`, () => {
      assert.equal(normalizeNumber(normalizeNumber(number, REMOVE), ADD), number);
    });
  }
  for (const number of ['0201234567', '00442071234567', '0031201234567']) {
    it(`round trip remove(add(${number})) gives the canonical dialled form`, () => {
      const expected = number.startsWith('0031') ? `0${number.slice(4)}` : number;
      assert.equal(normalizeNumber(normalizeNumber(number, ADD), REMOVE), expected);
    });
  }
});

describe('sbc/routing/normalize URIs and headers', () => {
  const domain = rule({ ...ADD, fromDomain: 'sbc.example.net' });
  it('rewrites the user part of a SIP Request-URI, keeping host and params', () => {
    assert.equal(
      normalizeUri('sip:0201234567@gw.example:5060;user=phone', ADD),
      'sip:+31201234567@gw.example:5060;user=phone',
    );
  });
  it('rewrites a tel URI', () => {
    assert.equal(normalizeUri('tel:0201234567;phone-context=+31', ADD), 'tel:+31201234567;phone-context=+31');
  });
  it('leaves an unparsable value as it is', () => {
    assert.equal(normalizeUri('not a uri', ADD), 'not a uri');
    assert.equal(normalizeNameAddr('<bad', ADD, 'from'), '<bad');
  });
  it('does not rewrite the Request-URI domain (fromDomain is for From/PAI)', () => {
    assert.equal(normalizeUri('sip:0201@10.0.0.1', domain), 'sip:+31201@10.0.0.1');
  });
  it('rewrites From: user and domain (port dropped), display name and tag kept', () => {
    assert.equal(
      normalizeNameAddr('"Alice" <sip:0201111111@10.0.0.7:5070>;tag=abc', domain, 'from'),
      '"Alice" <sip:+31201111111@sbc.example.net>;tag=abc',
    );
  });
  it('applyTo limits the fields', () => {
    const onlyRuri = rule({ ...ADD, applyTo: ['ruri'] });
    assert.equal(normalizeNameAddr('<sip:0201@x>', onlyRuri, 'to'), '<sip:0201@x>');
    assert.equal(normalizeUri('sip:0201@x', onlyRuri), 'sip:+31201@x');
  });
  it('normalizeRequest rewrites all four fields', () => {
    const out = normalizeRequest(
      { ruri: 'sip:0201@a', from: 'sip:0202@b:5060', to: 'sip:0201@a', pai: ['sip:0202@b', 'tel:0202'] },
      domain,
    );
    assert.deepEqual(out, {
      ruri: 'sip:+31201@a',
      from: 'sip:+31202@sbc.example.net',
      to: 'sip:+31201@a',
      pai: ['sip:+31202@sbc.example.net', 'tel:+31202'],
    });
  });
  it('configuration defaults give identity rules; e164 needs a country code', () => {
    const [t] = trunksOf('trunks: [ { name: x, inbound: { sources: [ 192.0.2.1 ] } } ]');
    assert.equal(t && normalizeNumber('0201', t.normalize.inbound), '0201');
    assert.throws(
      () =>
        trunksOf(
          'trunks: [ { name: x, inbound: { sources: [ 192.0.2.1 ] }, normalize: { inbound: { e164: add } } } ]',
        ),
      /trunks\[0\]\.normalize\.inbound\.countryCode: required with e164: add/,
    );
  });
});
