import assert from 'node:assert/strict';
import { describeMessage, logTracer } from '../../../../lib/sip/stack/message-trace';
import type { Log } from '../../../../lib/util/logger';
import { silentLog } from '../../../../lib/util/logger';

const invite = Buffer.from(
  [
    'INVITE sip:bob@example.com SIP/2.0',
    'Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK1',
    'i: abc@192.0.2.1',
    'CSeq: 2 INVITE',
    'Content-Length: 24',
    '',
    'Call-ID: not-this-one-x',
  ].join('\r\n'),
  'latin1',
);

describe('SIP message trace (log.sipMessages)', () => {
  it('describes a message by first line, Call-ID (compact form too) and CSeq, never its body', () => {
    assert.deepEqual(describeMessage(invite), {
      line: 'INVITE sip:bob@example.com SIP/2.0',
      callId: 'abc@192.0.2.1',
      cseq: '2 INVITE',
    });
    const garbage = describeMessage(Buffer.from('x'.repeat(500)));
    assert.equal(garbage.line.length, 200);
    assert.equal(garbage.callId, undefined);
  });

  it('logs one info line per message with direction and peer, and skips CRLF keepalives', () => {
    const lines: { obj: object; msg: string | undefined }[] = [];
    const log: Log = {
      ...silentLog,
      info: ((obj: object, msg?: string) => {
        lines.push({ obj, msg });
      }) as Log['info'],
    };
    const trace = logTracer(log);
    trace('in', invite, 'udp:192.0.2.1:5060');
    trace('out', Buffer.from('\r\n\r\n'), 'udp:192.0.2.1:5060');
    assert.equal(lines.length, 1);
    assert.deepEqual(lines[0], {
      msg: 'sip message',
      obj: {
        dir: 'in',
        peer: 'udp:192.0.2.1:5060',
        line: 'INVITE sip:bob@example.com SIP/2.0',
        callId: 'abc@192.0.2.1',
        cseq: '2 INVITE',
      },
    });
  });
});
