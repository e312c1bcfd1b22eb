/** The session timer a call record keeps per leg (RFC 4028 §7.2/§9), for a takeover. */
import assert from 'node:assert/strict';
import { sessionTimerOf, untagged } from '../../../../lib/sbc/call/call-record';

describe('call record: session timer per leg', () => {
  const table: [string | undefined, 'uac' | 'uas', 'uac' | undefined, unknown][] = [
    // the callee's 2xx to our INVITE (we are uac; refresher absent means uac, §7.2)
    ['1800;refresher=uac', 'uac', 'uac', { interval: 1800, refresher: 'local' }],
    ['1800;refresher=uas', 'uac', 'uac', { interval: 1800, refresher: 'remote' }],
    ['900', 'uac', 'uac', { interval: 900, refresher: 'local' }],
    // the caller's INVITE (we are uas): only an explicit refresher is known here
    ['1800;refresher=uac', 'uas', undefined, { interval: 1800, refresher: 'remote' }],
    ['1800 ; Refresher = UAS', 'uas', undefined, { interval: 1800, refresher: 'local' }],
    ['1800', 'uas', undefined, undefined],
    [undefined, 'uac', 'uac', undefined],
    ['soon', 'uac', 'uac', undefined],
    ['0;refresher=uac', 'uac', 'uac', undefined],
  ];
  for (const [header, role, implicit, want] of table) {
    it(`${String(header)} as ${role} → ${JSON.stringify(want)}`, () => {
      assert.deepEqual(sessionTimerOf(header, role, implicit), want);
    });
  }

  it('keeps From/To without the tag (the dialog URIs)', () => {
    assert.equal(untagged('"Alice" <sip:alice@192.0.2.1>;tag=abc'), '"Alice" <sip:alice@192.0.2.1>');
    assert.equal(untagged('<sip:b@192.0.2.2>;tag=x;foo=bar'), '<sip:b@192.0.2.2>;foo=bar');
    assert.equal(untagged(undefined), undefined);
  });
});
