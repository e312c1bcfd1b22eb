/** CdrEmitter: token layout of §4.3, one connection per record, round-robin, only routed verbs. */
import assert from 'node:assert/strict';
import { CdrEmitter, stopReasonOf, type CdrTarget } from '../../../lib/engine/cdr/cdr-emitter';
import { AppRegistry } from '../../../lib/engine/control/app-registry';
import { parseOwn } from '../../../lib/sip';

class FakeConn implements CdrTarget {
  readonly frames: { tokens: readonly string[]; sip: string | undefined }[] = [];
  isClosed = false;
  constructor(readonly id: string) {}
  readonly tags: string[] = [];
  send(tokens: readonly string[], sip?: string): void {
    this.frames.push({ tokens, sip });
  }
}

const msg = (text: string) => parseOwn(Buffer.from(text.replace(/\n/g, '\r\n')));
const INVITE = msg(
  'INVITE sip:a@192.0.2.1 SIP/2.0\nVia: SIP/2.0/UDP 192.0.2.2;branch=z9hG4bK1\nFrom: <sip:b@192.0.2.2>;tag=1\nTo: <sip:a@192.0.2.1>\nCall-ID: c1\nCSeq: 1 INVITE\nContent-Length: 0\n\n',
);
const response = (status: number) =>
  msg(
    `SIP/2.0 ${status} X\nVia: SIP/2.0/UDP 192.0.2.2;branch=z9hG4bK1\nFrom: <sip:b@192.0.2.2>;tag=1\nTo: <sip:a@192.0.2.1>;tag=2\nCall-ID: c1\nCSeq: 1 INVITE\nContent-Length: 0\n\n`,
  );

describe('CdrEmitter', () => {
  const fixed = () => new Date(Date.UTC(2024, 0, 1, 14, 9, 0, 125));

  it('sends attempt/start/stop with the §4.3 layout and the SIP message', () => {
    const apps = new AppRegistry<FakeConn>();
    const a = new FakeConn('a');
    for (const v of ['cdr:attempt', 'cdr:start', 'cdr:stop']) apps.addRoute(a, v);
    const cdr = new CdrEmitter(apps, fixed);
    cdr.attempt('network', INVITE);
    cdr.start('application', 'uas', response(200));
    cdr.stop('network', 'normal-release', INVITE);
    assert.deepEqual(
      a.frames.map((f) => f.tokens),
      [
        ['cdr:attempt', 'network', '14:09:00.125000'],
        ['cdr:start', 'application', '14:09:00.125000', 'uas'],
        ['cdr:stop', 'network', '14:09:00.125000', 'normal-release'],
      ],
    );
    assert.match(a.frames[0]?.sip ?? '', /^INVITE sip:a@192\.0\.2\.1 SIP\/2\.0\r\n/);
  });

  it('goes round-robin, one connection per record, and only to apps that routed the verb', () => {
    const apps = new AppRegistry<FakeConn>();
    const a = new FakeConn('a');
    const b = new FakeConn('b');
    const other = new FakeConn('other');
    apps.addRoute(a, 'cdr:attempt');
    apps.addRoute(b, 'CDR:ATTEMPT');
    apps.addRoute(other, 'invite');
    const cdr = new CdrEmitter(apps, fixed);
    for (let i = 0; i < 4; i++) cdr.attempt('network', INVITE);
    cdr.stop('network', 'normal-release', INVITE);
    assert.equal(a.frames.length, 2);
    assert.equal(b.frames.length, 2);
    assert.equal(other.frames.length, 0);
  });

  it('final(): 2xx → start, 487 → call-canceled, other ≥300 → call-rejected, 1xx → nothing', () => {
    const apps = new AppRegistry<FakeConn>();
    const a = new FakeConn('a');
    for (const v of ['cdr:start', 'cdr:stop']) apps.addRoute(a, v);
    const cdr = new CdrEmitter(apps, fixed);
    for (const s of [180, 200, 487, 486]) {
      const r = response(s);
      if (r.kind === 'response') cdr.final('network', 'uac', r);
    }
    assert.deepEqual(
      a.frames.map((f) => f.tokens[3]),
      ['uac', 'call-canceled', 'call-rejected'],
    );
    assert.equal(stopReasonOf(603), 'call-rejected');
  });
});
