/** The dialog URIs a call record keeps per leg (RFC 3261 §12.1), for a takeover. */
import assert from 'node:assert/strict';
import { untagged } from '../../../../lib/sbc/call/call-record';

describe('call record: dialog URIs', () => {
  it('keeps From/To without the tag (the dialog URIs)', () => {
    assert.equal(untagged('"Alice" <sip:alice@192.0.2.1>;tag=abc'), '"Alice" <sip:alice@192.0.2.1>');
    assert.equal(untagged('<sip:b@192.0.2.2>;tag=x;foo=bar'), '<sip:b@192.0.2.2>;foo=bar');
    assert.equal(untagged(undefined), undefined);
  });
});
