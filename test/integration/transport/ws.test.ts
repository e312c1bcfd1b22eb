import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { WebSocket } from 'ws';
import type { TransportManager } from '../../../lib/sip/transport';
import {
  makeCerts,
  Managed,
  nextEvent,
  nextMessage,
  port,
  sipRequest,
  sipResponse,
  type TestCerts,
} from './helpers';

const LOOP = '127.0.0.1';

function open(url: string, protocols: string[], ca?: Buffer): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, protocols, ca === undefined ? {} : { ca });
    ws.once('open', () => {
      resolve(ws);
    });
    ws.once('error', reject);
    ws.once('unexpected-response', (_req, res) => {
      reject(new Error(`HTTP ${res.statusCode ?? 0}`));
    });
  });
}

function nextWsMessage(ws: WebSocket, timeoutMs = 3000): Promise<{ text: string; binary: boolean }> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => {
      reject(new Error('no WebSocket message'));
    }, timeoutMs);
    ws.once('message', (data: Buffer, binary: boolean) => {
      clearTimeout(t);
      resolve({ text: data.toString(), binary });
    });
  });
}

describe('WebSocket transports (RFC 7118)', function () {
  let certs: TestCerts;
  const managed = new Managed();
  const clients: WebSocket[] = [];
  before(function () {
    this.timeout(20_000);
    certs = makeCerts();
  });
  after(() => {
    certs.cleanup();
  });
  afterEach(async () => {
    for (const c of clients.splice(0)) c.terminate();
    await managed.closeAll();
  });

  const variants = [
    { transport: 'ws' as const, scheme: 'ws' },
    { transport: 'wss' as const, scheme: 'wss' },
  ];
  for (const v of variants) {
    const start = (): Promise<TransportManager> =>
      managed.start({
        listeners: [
          v.transport === 'ws'
            ? { transport: 'ws', address: LOOP, port: 0 }
            : { transport: 'wss', address: LOOP, port: 0, cert: certs.serverCert, key: certs.serverKey },
        ],
      });
    const connect = async (m: TransportManager, protocols = ['sip']): Promise<WebSocket> => {
      const ws = await open(
        `${v.scheme}://${LOOP}:${port(m)}/`,
        protocols,
        v.transport === 'wss' ? readFileSync(certs.ca) : undefined,
      );
      clients.push(ws);
      return ws;
    };

    it(`${v.transport}: negotiates subprotocol "sip" and carries one SIP message per WebSocket message`, async () => {
      const m = await start();
      const ws = await connect(m, ['chat', 'sip']);
      assert.equal(ws.protocol, 'sip');
      const got = nextMessage(m);
      const req = sipRequest('REGISTER', `${v.transport}-1`, '', v.transport.toUpperCase());
      ws.send(req);
      const [data, flow] = await got;
      assert.equal(data.toString(), req);
      assert.equal(flow.transport, v.transport);
      assert.ok(flow.connectionId !== undefined);
      const reply = nextWsMessage(ws);
      await m.send(
        { transport: v.transport, address: flow.remoteAddress, port: flow.remotePort },
        Buffer.from(sipResponse('ws-1')),
      );
      assert.deepEqual(await reply, { text: sipResponse('ws-1'), binary: false });
    });

    it(`${v.transport}: refuses an upgrade that does not offer the "sip" subprotocol`, async () => {
      const m = await start();
      const rejected = nextEvent(m, 'connection-rejected');
      await assert.rejects(connect(m, ['chat']), /HTTP 400/);
      assert.equal((await rejected)[0].reason, 'subprotocol');
      assert.equal(m.connections().length, 0);
    });

    it(`${v.transport}: answers a CRLFCRLF keepalive with CRLF and passes nothing up`, async () => {
      const m = await start();
      let delivered = false;
      m.on('message', () => (delivered = true));
      const ws = await connect(m);
      const pong = nextWsMessage(ws);
      ws.send('\r\n\r\n');
      assert.equal((await pong).text, '\r\n');
      assert.equal(delivered, false);
    });
  }

  it('closes a WebSocket connection after the idle timeout', async () => {
    const m = await managed.start({
      listeners: [{ transport: 'ws', address: LOOP, port: 0 }],
      limits: { idleTimeoutMs: 150 },
    });
    const ws = await open(`ws://${LOOP}:${port(m)}/`, ['sip']);
    clients.push(ws);
    const [, reason] = await nextEvent(m, 'connection-close');
    assert.equal(reason, 'idle');
    await new Promise<void>((resolve) => {
      if (ws.readyState === ws.CLOSED) resolve();
      else
        ws.once('close', () => {
          resolve();
        });
    });
  });

  it('applies the per-source cap to WebSocket upgrades (503)', async () => {
    const m = await managed.start({
      listeners: [{ transport: 'ws', address: LOOP, port: 0 }],
      limits: { maxConnectionsPerSource: 1 },
    });
    clients.push(await open(`ws://${LOOP}:${port(m)}/`, ['sip']));
    const rejected = nextEvent(m, 'connection-rejected');
    await assert.rejects(open(`ws://${LOOP}:${port(m)}/`, ['sip']), /HTTP 503/);
    assert.equal((await rejected)[0].reason, 'per-source-limit');
    assert.equal(m.connections().length, 1);
  });

  it('answers plain HTTP with 426 Upgrade Required', async () => {
    const m = await managed.start({ listeners: [{ transport: 'ws', address: LOOP, port: 0 }] });
    const res = await fetch(`http://${LOOP}:${port(m)}/`);
    assert.equal(res.status, 426);
  });
});
