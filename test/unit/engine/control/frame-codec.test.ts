import assert from 'node:assert/strict';
import {
  FrameDecoder,
  FrameError,
  encodeFrame,
  MAX_FRAME_BYTES,
} from '../../../../lib/engine/control/frame-codec';
import { joinPayload, splitPayload } from '../../../../lib/engine/control/leader';

describe('control frame codec (drachtio §2)', () => {
  it('counts UTF-8 bytes, not characters', () => {
    const payload = 'id|sip||\r\nMESSAGE sip:a@b SIP/2.0\r\n\r\nhé';
    const frame = encodeFrame(payload);
    const prefix = frame.toString('latin1', 0, frame.indexOf(0x23));
    assert.equal(Number(prefix), Buffer.byteLength(payload, 'utf8'));
    assert.notEqual(Number(prefix), payload.length);
    assert.deepEqual(new FrameDecoder().push(frame), [payload]);
  });

  it('decodes frames split at every byte, including inside the length prefix and a multi-byte character', () => {
    const payloads = ['a|ping', 'b|route|invite', 'c|sip||\r\nINFO sip:x SIP/2.0\r\n\r\nÄ€😀'];
    const wire = Buffer.concat(payloads.map(encodeFrame));
    const decoder = new FrameDecoder();
    const out: string[] = [];
    for (let i = 0; i < wire.length; i++) out.push(...decoder.push(wire.subarray(i, i + 1)));
    assert.deepEqual(out, payloads);
  });

  it('decodes several frames from one read', () => {
    const wire = Buffer.concat([encodeFrame('x|ping'), encodeFrame('y|ping'), encodeFrame('z|pi')]);
    assert.deepEqual(new FrameDecoder().push(wire), ['x|ping', 'y|ping', 'z|pi']);
  });

  it('rejects a non-digit before #, an empty prefix and oversized frames', () => {
    assert.throws(() => new FrameDecoder().push(Buffer.from('12a#hello')), FrameError);
    assert.throws(() => new FrameDecoder().push(Buffer.from('#hello')), FrameError);
    assert.throws(() => new FrameDecoder().push(Buffer.from(`${MAX_FRAME_BYTES + 1}#`)), FrameError);
    assert.throws(() => new FrameDecoder().push(Buffer.from('123456789012#')), FrameError);
  });

  it('splits the leader at the first CR and keeps empty tokens', () => {
    const m = splitPayload('id|sip|txn||\r\nBYE sip:x SIP/2.0\r\n\r\n');
    assert.deepEqual(m.tokens, ['id', 'sip', 'txn', '', '']);
    assert.equal(m.sip, 'BYE sip:x SIP/2.0\r\n\r\n');
    assert.deepEqual(splitPayload('id|ping'), { tokens: ['id', 'ping'], sip: '' });
    assert.equal(joinPayload(['a', '', 'b'], 'SIP'), 'a||b\r\nSIP');
  });
});
