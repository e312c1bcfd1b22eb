/**
 * Overload shedding in the SipStack over real sockets, with a fake lag source: while "saturated",
 * a new out-of-dialog INVITE gets 503 + Retry-After without reaching the TU or creating a server
 * transaction; in-dialog INVITEs and other requests still reach the TU.
 */
import assert from 'node:assert/strict';
import { buildRequest, type SipRequest } from '../../../lib/sip';
import { SipStack, type ServerTransaction } from '../../../lib/sip/stack';
import { TransportManager } from '../../../lib/sip/transport';
import { systemClock } from '../../../lib/util/clock';
import { silentLog } from '../../../lib/util/logger';
import { eventually } from '../../support/http';
import { startTestStack, type TestStack } from '../../support/sip-stack';

function request(method: string, port: number, toTag?: string): SipRequest {
  return buildRequest({
    method,
    uri: `sip:uas@127.0.0.1:${port}`,
    headers: [
      ['Max-Forwards', '70'],
      ['From', '<sip:uac@127.0.0.1>;tag=f1'],
      ['To', `<sip:uas@127.0.0.1>${toTag === undefined ? '' : `;tag=${toTag}`}`],
      ['Call-ID', `${method}-${Math.random().toString(36).slice(2)}@test`],
      ['CSeq', `1 ${method}`],
      ['Contact', '<sip:uac@127.0.0.1>'],
    ],
  });
}

describe('SipStack overload shedding', function () {
  this.timeout(10_000);
  let uac: TestStack;
  let transport: TransportManager;
  let uas: SipStack;
  let lag = 0;
  const reached: string[] = [];

  beforeEach(async () => {
    reached.length = 0;
    lag = 0;
    uac = await startTestStack({});
    transport = new TransportManager({ listeners: [{ transport: 'udp', address: '127.0.0.1', port: 0 }] });
    await transport.start();
    uas = new SipStack({
      transport,
      clock: systemClock,
      log: silentLog,
      timers: { t1: 50, t2: 400, t4: 500 },
      overload: { maxEventLoopDelayMs: 100, sustainedWindows: 1, retryAfterSeconds: 7, lagSource: () => lag },
    });
    uas.setUser({
      onRequest: (txn: ServerTransaction) => {
        reached.push(txn.method);
        txn.respondWith(txn.method === 'INVITE' ? 486 : 200);
      },
      onCancel: (cancel) => {
        cancel.respondWith(481);
      },
      onAck: () => undefined,
      onStrayResponse: () => undefined,
    });
  });
  afterEach(async () => {
    uas.close();
    await transport.close();
    await uac.close();
  });

  const send = (req: SipRequest): Promise<{ status: number; retryAfter: string | undefined }> =>
    new Promise((resolve, reject) => {
      const port = transport.listeners()[0]?.port ?? 0;
      uac.stack.request(
        req,
        { transport: 'udp', address: '127.0.0.1', port },
        {
          onResponse: (r) => {
            if (r.status >= 200) resolve({ status: r.status, retryAfter: r.header('retry-after') });
          },
          onTimeout: () => {
            reject(new Error('timeout'));
          },
          onTransportError: reject,
        },
      );
    });

  it('answers a new INVITE 503 + Retry-After while saturated, before the TU and without a transaction', async () => {
    const port = transport.listeners()[0]?.port ?? 0;
    lag = 500;
    const r = await send(request('INVITE', port));
    assert.deepEqual(r, { status: 503, retryAfter: '7' });
    assert.deepEqual(reached, []);
    assert.equal(uas.stats.overloadShed, 1);
    assert.equal(uas.stats.overloadShedLag, 1, 'counted under its reason');
    assert.equal(uas.transactionCounts.server, 0);
    // in-dialog INVITE and non-INVITE requests are still processed
    assert.equal((await send(request('INVITE', port, 'to1'))).status, 486);
    assert.equal((await send(request('OPTIONS', port))).status, 200);
    assert.deepEqual(reached, ['INVITE', 'OPTIONS']);
    lag = 10; // recovered: new INVITEs are admitted again
    assert.equal((await send(request('INVITE', port))).status, 486);
    await eventually(() => {
      assert.equal(uas.stats.overloadShed, 1);
    });
  });
});
