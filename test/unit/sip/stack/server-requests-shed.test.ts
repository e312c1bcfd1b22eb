/**
 * The stack's early 503 (overload.ts) on ServerRequests with a fake host: while the guard sheds,
 * a REGISTER storm gets stateless 503s with Retry-After (not silence) and costs no transaction,
 * while OPTIONS keepalives and in-dialog requests still reach the TU.
 */
import assert from 'node:assert/strict';
import { parseOwn, type SipRequest } from '../../../../lib/sip';
import { OverloadGuard, type ServerTransaction, type StackUser } from '../../../../lib/sip/stack';
import { ServerRequests } from '../../../../lib/sip/stack/server-requests';
import { newStackStats } from '../../../../lib/sip/stack/stack-types';
import { timerConfig } from '../../../../lib/sip/transaction/timers';
import type { Flow } from '../../../../lib/sip/transport';
import { FakeClock } from '../../../../lib/util/clock';

const flow: Flow = {
  transport: 'udp',
  localAddress: '127.0.0.1',
  localPort: 5060,
  remoteAddress: '127.0.0.1',
  remotePort: 5070,
  connectionId: undefined,
  listenerId: 'udp0',
};

function request(method: string, n: number, toTag?: string): SipRequest {
  const text = [
    `${method} sip:sbc@127.0.0.1 SIP/2.0`,
    `Via: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bK-${method}-${n}`,
    `From: <sip:dev${n}@127.0.0.1>;tag=f${n}`,
    `To: <sip:dev${n}@127.0.0.1>${toTag === undefined ? '' : `;tag=${toTag}`}`,
    `Call-ID: shed-${method}-${n}`,
    `CSeq: 1 ${method}`,
    'Max-Forwards: 70',
    'Content-Length: 0',
    '',
    '',
  ].join('\r\n');
  const m = parseOwn(Buffer.from(text));
  assert.equal(m.kind, 'request');
  return m;
}

function world(guard: OverloadGuard): { rq: ServerRequests; toTu: string[]; sent: string[] } {
  const toTu: string[] = [];
  const sent: string[] = [];
  const user: StackUser = {
    onRequest: (txn: ServerTransaction) => toTu.push(txn.method),
    onCancel: () => undefined,
    onAck: () => undefined,
    onStrayResponse: () => undefined,
  };
  const rq = new ServerRequests(undefined, {
    stats: newStackStats(),
    clock: new FakeClock(),
    user: () => user,
    timers: () => timerConfig(),
    send: (_t, buf) => {
      sent.push(buf.toString('utf8'));
      return Promise.resolve(flow);
    },
    overload: guard,
  });
  return { rq, toTu, sent };
}

describe('ServerRequests overload shedding', () => {
  it('answers a REGISTER storm with 503 + Retry-After while saturated, keeps OPTIONS and in-dialog', () => {
    const guard = new OverloadGuard({
      maxEventLoopDelayMs: 100,
      sustainedWindows: 1,
      lagSource: () => 500,
      retryAfterSeconds: 7,
    });
    const { rq, toTu, sent } = world(guard);
    for (let i = 0; i < 50; i++) rq.onRequest(request('REGISTER', i), flow);
    assert.equal(sent.length, 50, 'every REGISTER answered');
    for (const s of sent) {
      assert.match(s, /^SIP\/2\.0 503 /);
      assert.match(s, /^Retry-After: 7\r$/m);
    }
    assert.equal(rq.size, 0, 'no transaction created for a shed request');
    rq.onRequest(request('OPTIONS', 1), flow);
    rq.onRequest(request('BYE', 2, 'ours'), flow);
    rq.onRequest(request('SUBSCRIBE', 3), flow);
    assert.deepEqual(toTu, ['OPTIONS', 'BYE'], 'OPTIONS keepalive and the in-dialog BYE reach the TU');
    assert.equal(sent.length, 51, 'the SUBSCRIBE was shed too');
    guard.close();
  });

  it('admits up to the per-second cap under a flood the event loop keeps up with', () => {
    const guard = new OverloadGuard({
      maxEventLoopDelayMs: 100,
      lagSource: () => 0,
      maxNewRequestsPerSecond: 20,
      now: () => 0,
    });
    const { rq, toTu, sent } = world(guard);
    for (let i = 0; i < 100; i++) rq.onRequest(request('REGISTER', i), flow);
    assert.equal(toTu.length, 20);
    assert.equal(sent.filter((s) => s.startsWith('SIP/2.0 503')).length, 80);
    guard.close();
  });
});
