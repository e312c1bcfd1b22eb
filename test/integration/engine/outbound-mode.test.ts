/**
 * Outbound mode and request handlers (protocol doc §1.2) against the real drachtio-srf: a
 * `tcp://` handler makes the engine connect to an app running `srf.listen()`; an unreachable one
 * gives 480; an HTTP handler's JSON answer rejects, redirects (302 + Contact) or routes to an
 * app by uri or by tag; `proxy` answers 500 until the proxy module is installed.
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import type net from 'node:net';
import Srf from 'drachtio-srf';
import { silentLog } from '../../../lib/util/logger';
import { startEngine, type Engine } from '../../../lib/engine/embedded-engine';
import type { RequestHandlerConfig } from '../../../lib/engine/handlers/request-handlers';
import { freeSipPort, freeTcpPort } from '../../support/ports';
import { header, sendSipRequest } from '../../support/udp-sip-client';
import { engineHolds } from '../../support/engine-holds';
import { eventually } from '../../support/http';

const SECRET = 'cymru';

async function engineWith(
  requestHandlers: RequestHandlerConfig[],
): Promise<{ engine: Engine; sipPort: number }> {
  const sipPort = await freeSipPort();
  const engine = await startEngine({
    control: { address: '127.0.0.1', port: 0, secret: SECRET },
    listeners: [{ transport: 'udp', address: '127.0.0.1', port: sipPort }],
    requestHandlers,
    timers: { t1: 100, t2: 400, t4: 500 },
    log: silentLog,
  });
  return { engine, sipPort };
}

/** An app in listen mode answering OPTIONS with 200 and a marker header. */
async function listeningApp(marker: string): Promise<{ srf: Srf; port: number; server: net.Server }> {
  const port = await freeTcpPort();
  const srf = new Srf();
  srf.use('options', (_req, res) => {
    res.send(200, { headers: { 'X-App': marker } });
  });
  const server = srf.listen({ port, host: '127.0.0.1', secret: SECRET }) as unknown as net.Server;
  await new Promise<void>((resolve) => {
    if (server.listening) resolve();
    else server.once('listening', resolve);
  });
  return { srf, port, server };
}

/** A request handler that answers every query with `answer` and records the queries. */
async function httpHandler(
  answer: unknown,
): Promise<{ url: string; queries: URLSearchParams[]; close(): Promise<void> }> {
  const queries: URLSearchParams[] = [];
  const server = http.createServer((req, res) => {
    queries.push(new URL(req.url ?? '/', 'http://x').searchParams);
    res.setHeader('content-type', 'application/json');
    res.end(typeof answer === 'string' ? answer : JSON.stringify(answer));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/route`,
    queries,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          resolve();
        });
      }),
  };
}

const finalOf = (rs: { status: number; text: string }[]) => {
  const last = rs[rs.length - 1];
  assert.ok(last);
  return last;
};

describe('engine outbound mode and request handlers (real drachtio-srf)', function () {
  this.timeout(30_000);
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });
  const engine = async (handlers: RequestHandlerConfig[]) => {
    const e = await engineWith(handlers);
    cleanups.push(async () => {
      try {
        // Leak check (as for every engine test): nothing held once the requests are answered.
        await eventually(() => {
          assert.deepEqual(engineHolds(e.engine), { dialogs: 0, appServerTxns: 0, appClientTxns: 0 });
        }, 5000);
      } finally {
        await e.engine.close();
      }
    });
    return e;
  };
  const app = async (marker: string) => {
    const a = await listeningApp(marker);
    cleanups.push(
      () =>
        new Promise<void>((resolve) => {
          a.srf.removeAllListeners();
          a.server.close(() => {
            resolve();
          });
        }),
    );
    return a;
  };

  it('tcp:// handler: connects to the srf.listen app, which authenticates and answers', async () => {
    const a = await app('outbound');
    const { sipPort } = await engine([{ method: 'options', url: `tcp://127.0.0.1:${a.port}` }]);
    for (let i = 0; i < 2; i++) {
      const res = finalOf(await sendSipRequest(sipPort, 'OPTIONS'));
      assert.equal(res.status, 200, res.text);
      assert.equal(header(res, 'X-App'), 'outbound');
    }
  });

  it('tcp:// handler that cannot be reached: 480', async () => {
    const dead = await freeTcpPort();
    const { sipPort } = await engine([{ method: '*', url: `tcp://127.0.0.1:${dead}` }]);
    assert.equal(finalOf(await sendSipRequest(sipPort, 'OPTIONS')).status, 480);
  });

  it('HTTP handler: reject with status and reason, query parameters as drachtio sends them', async () => {
    const h = await httpHandler({ action: 'reject', data: { status: 403, reason: 'Go Away' } });
    cleanups.push(() => h.close());
    const { sipPort } = await engine([{ method: '*', url: h.url }]);
    const res = finalOf(
      await sendSipRequest(sipPort, 'OPTIONS', { user: '+15551230000', ruriParams: ';foo=bar' }),
    );
    assert.equal(res.status, 403);
    assert.match(res.text, /^SIP\/2\.0 403 Go Away/);
    const q = h.queries[0];
    assert.ok(q);
    assert.equal(q.get('method'), 'OPTIONS');
    assert.equal(q.get('domain'), '127.0.0.1');
    assert.equal(q.get('protocol'), 'udp');
    assert.equal(q.get('source_address'), '127.0.0.1');
    assert.equal(q.get('uriUser'), '+15551230000');
    assert.equal(q.get('fromUser'), 'bob');
    assert.equal(q.get('foo'), 'bar');
  });

  it('HTTP handler: redirect → 302 with the Contacts', async () => {
    const h = await httpHandler({
      action: 'redirect',
      data: { contact: ['sip:a@192.0.2.1', 'sip:b@192.0.2.2'] },
    });
    cleanups.push(() => h.close());
    const { sipPort } = await engine([{ method: 'options', url: h.url }]);
    const res = finalOf(await sendSipRequest(sipPort, 'OPTIONS'));
    assert.equal(res.status, 302);
    assert.match(res.text, /Contact: <sip:a@192\.0\.2\.1>/);
    assert.match(res.text, /Contact: <sip:b@192\.0\.2\.2>/);
  });

  it('HTTP handler: route by uri connects out; bad JSON and proxy give 500', async () => {
    const a = await app('by-uri');
    const h = await httpHandler({ action: 'route', data: { uri: `127.0.0.1:${a.port};transport=tcp` } });
    cleanups.push(() => h.close());
    const { sipPort } = await engine([{ method: 'options', url: h.url }]);
    const res = finalOf(await sendSipRequest(sipPort, 'OPTIONS'));
    assert.equal(res.status, 200);
    assert.equal(header(res, 'X-App'), 'by-uri');
    for (const answer of ['not json', { action: 'proxy', data: { destination: 'sip:192.0.2.9' } }]) {
      const bad = await httpHandler(answer);
      cleanups.push(() => bad.close());
      const e = await engine([{ method: '*', url: bad.url }]);
      assert.equal(finalOf(await sendSipRequest(e.sipPort, 'OPTIONS')).status, 500);
    }
  });

  it('HTTP handler: route by tag picks an inbound app whose authenticate listed it; none → 480', async () => {
    const h = await httpHandler({ action: 'route', data: { tag: 'blue' } });
    cleanups.push(() => h.close());
    const { engine: e, sipPort } = await engine([{ method: 'options', url: h.url }]);
    assert.equal(finalOf(await sendSipRequest(sipPort, 'OPTIONS')).status, 480);
    const srf = new Srf(['blue']);
    srf.use('options', (_req, res) => {
      res.send(200, { headers: { 'X-App': 'tagged' } });
    });
    await new Promise<void>((resolve, reject) => {
      srf.on('connect', (err: Error | null) => {
        if (err) reject(err);
        else resolve();
      });
      const opts = { host: '127.0.0.1', port: e.control.port, secret: SECRET, reconnect: { maxAttempts: 1 } };
      void srf.connect(opts);
    });
    cleanups.push(() => {
      srf.removeAllListeners();
      srf.disconnect();
    });
    const res = finalOf(await sendSipRequest(sipPort, 'OPTIONS'));
    assert.equal(res.status, 200);
    assert.equal(header(res, 'X-App'), 'tagged');
  });
});
