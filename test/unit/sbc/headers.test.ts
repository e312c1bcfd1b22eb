import { strict as assert } from 'node:assert';
import {
  DEVICE_LEG,
  crossingHeaders,
  legPolicy,
  mayCross,
  type LegHeaderPolicy,
} from '../../../lib/sbc/pipeline/headers';
import { headersOf, trunksOf } from './helpers';

const plain: LegHeaderPolicy = { trustIdentity: false, diversion: false, allow: new Set() };
const trusted: LegHeaderPolicy = { trustIdentity: true, diversion: true, allow: new Set(['x-account-code']) };

describe('sbc/pipeline/headers mayCross', () => {
  const cases: [string, LegHeaderPolicy, LegHeaderPolicy, boolean, boolean][] = [
    ['content-type', plain, plain, false, true],
    ['allow', plain, plain, false, true],
    ['privacy', plain, plain, true, true],
    ['via', trusted, trusted, false, false],
    ['record-route', trusted, trusted, false, false],
    ['route', trusted, trusted, false, false],
    ['contact', trusted, trusted, false, false],
    ['call-id', trusted, trusted, false, false],
    ['from', trusted, trusted, false, false],
    ['cseq', trusted, trusted, false, false],
    ['supported', trusted, trusted, false, false], // the B2BUA builds its own
    ['require', trusted, trusted, false, false],
    ['session-expires', trusted, trusted, false, false],
    ['proxy-authorization', trusted, trusted, false, false],
    ['x-palisade-leg', trusted, trusted, false, false],
    ['user-agent', plain, plain, false, false],
    ['x-account-code', plain, plain, false, false], // not allowlisted anywhere
    ['x-account-code', trusted, plain, false, true], // allowlisted by the source trunk
    ['x-account-code', plain, trusted, false, true], // allowlisted by the destination trunk
    ['p-asserted-identity', plain, trusted, false, false], // untrusted source
    ['p-asserted-identity', trusted, trusted, true, true],
    ['p-asserted-identity', trusted, plain, false, true],
    ['p-asserted-identity', trusted, plain, true, false], // Privacy: id towards untrusted
    ['p-preferred-identity', trusted, trusted, false, false],
    ['diversion', trusted, trusted, false, true],
    ['diversion', trusted, plain, false, false],
    ['history-info', plain, trusted, false, false],
    ['history-info', DEVICE_LEG, trusted, false, true],
  ];
  for (const [key, from, to, privacyId, expected] of cases) {
    const describeLeg = (p: LegHeaderPolicy) =>
      p === trusted ? 'trusted' : p === plain ? 'plain' : 'device';
    it(`${key}: ${describeLeg(from)} → ${describeLeg(to)}${privacyId ? ' (Privacy: id)' : ''} → ${expected}`, () => {
      assert.equal(mayCross(key, from, to, privacyId), expected);
    });
  }
});

describe('sbc/pipeline/headers crossingHeaders', () => {
  const request = headersOf([
    ['Via', 'SIP/2.0/UDP 10.0.0.1;branch=z9hG4bK1'],
    ['c', 'application/sdp'],
    ['P-Asserted-Identity', '<sip:+31201@carrier>'],
    ['P-Asserted-Identity', '<tel:+31201>'],
    ['Privacy', 'id;critical'],
    ['X-Account-Code', '42'],
    ['Diversion', '<sip:100@pbx>;reason=unconditional'],
    ['Contact', '<sip:10.0.0.1>'],
  ]);

  it('keeps the safe set, respects Privacy: id, allowlist and diversion', () => {
    assert.deepEqual(crossingHeaders(request, trusted, plain), [
      ['c', 'application/sdp'],
      ['Privacy', 'id;critical'],
      ['X-Account-Code', '42'],
    ]);
  });

  it('between trusted legs identity and diversion cross, each value once', () => {
    assert.deepEqual(
      crossingHeaders(request, trusted, trusted).map(([n]) => n),
      ['c', 'P-Asserted-Identity', 'P-Asserted-Identity', 'Privacy', 'X-Account-Code', 'Diversion'],
    );
  });

  it('legPolicy reads trunk settings; the config refuses never-crossing names', () => {
    const [t] = trunksOf(
      'trunks: [ { name: x, inbound: { sources: [ 192.0.2.1 ] }, headers: { allow: [ X-Foo ], trustIdentity: true } } ]',
    );
    const policy = legPolicy(t);
    assert.deepEqual([...policy.allow], ['x-foo']);
    assert.equal(policy.trustIdentity, true);
    assert.equal(policy.diversion, false);
    assert.equal(legPolicy(undefined), DEVICE_LEG);
    for (const name of ['Via', 'record-route', 'X-Palisade-Call']) {
      assert.throws(
        () =>
          trunksOf(
            `trunks: [ { name: x, inbound: { sources: [ 192.0.2.1 ] }, headers: { allow: [ ${name} ] } } ]`,
          ),
        /never crosses legs/,
      );
    }
  });
});
