import assert from 'node:assert/strict';
import { isStartLine, parseContentLength } from '../../../../lib/sip/transport/header-scan';

describe('header-scan', () => {
  it('recognises request and status lines', () => {
    assert.ok(isStartLine('INVITE sip:bob@example.com SIP/2.0'));
    assert.ok(isStartLine('SIP/2.0 180 Ringing'));
    assert.ok(isStartLine('SIP/2.0 200'));
    assert.ok(!isStartLine('GET / HTTP/1.1'));
    assert.ok(!isStartLine('SIP/2.0 099 Bad'));
    assert.ok(!isStartLine('INVITE  sip:x SIP/2.0'));
  });

  it('reads Content-Length case-insensitively with whitespace before the colon', () => {
    const r = parseContentLength('INVITE sip:a SIP/2.0\r\ncOnTeNt-LeNgTh   :  42 ', 100);
    assert.deepEqual(r, { ok: true, value: 42 });
  });
});
