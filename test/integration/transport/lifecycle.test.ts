import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import { createServer, type Server } from 'node:net';
import { WebSocket } from 'ws';
import { TransportManager, type CloseReason } from '../../../lib/sip/transport';
import { closedWithin, makeCerts, nextMessage, RawPeer, sipRequest, type TestCerts } from './helpers';

const LOOP = '127.0.0.1';

function listenTcp(portNumber: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(portNumber, LOOP, () => {
      resolve(s);
    });
  });
}

function closeServer(s: Server): Promise<void> {
  return new Promise((resolve) => {
    s.close(() => {
      resolve();
    });
  });
}

function bindUdp(portNumber: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const s = createSocket('udp4');
    s.once('error', reject);
    s.bind(portNumber, LOOP, () =>
      s.close(() => {
        resolve();
      }),
    );
  });
}

describe('TransportManager lifecycle', function () {
  let certs: TestCerts;
  before(function () {
    this.timeout(20_000);
    certs = makeCerts();
  });
  after(() => {
    certs.cleanup();
  });

  it('close() closes every connection and releases every port', async () => {
    const m = new TransportManager({
      listeners: [
        { transport: 'udp', address: LOOP, port: 0 },
        { transport: 'tcp', address: LOOP, port: 0 },
        { transport: 'tls', address: LOOP, port: 0, cert: certs.serverCert, key: certs.serverKey },
        { transport: 'ws', address: LOOP, port: 0 },
      ],
    });
    await m.start();
    const [udp, tcp, tls, ws] = m.listeners();
    const closes: CloseReason[] = [];
    m.on('connection-close', (_info, reason) => closes.push(reason));
    const tcpPeer = await RawPeer.connect(tcp!.port);
    const got = nextMessage(m);
    tcpPeer.socket.write(sipRequest('OPTIONS', 'before-close'));
    await got;
    const wsPeer = new WebSocket(`ws://${LOOP}:${ws!.port}/`, ['sip']);
    await new Promise((r) => wsPeer.once('open', r));
    const wsClosed = new Promise((r) => wsPeer.once('close', r));
    assert.equal(m.connections().length, 2);

    await m.close();
    assert.deepEqual(closes.sort(), ['shutdown', 'shutdown']);
    assert.equal(m.connections().length, 0);
    assert.equal(await closedWithin(tcpPeer, 2000), true);
    await wsClosed;
    // Every port can be bound again.
    await bindUdp(udp!.port);
    for (const p of [tcp!.port, tls!.port, ws!.port]) await closeServer(await listenTcp(p));
    await assert.rejects(m.send({ transport: 'udp', address: LOOP, port: 9 }, Buffer.from('x')), {
      code: 'TRANSPORT_SHUT_DOWN',
    });
    await m.close(); // idempotent
  });

  it('a failed start() releases the listeners that did bind', async () => {
    const blocker = await listenTcp(0);
    const address = blocker.address();
    assert.ok(typeof address === 'object' && address !== null);
    const m = new TransportManager({
      listeners: [
        { transport: 'tcp', address: LOOP, port: 0 },
        { transport: 'tcp', address: LOOP, port: address.port },
      ],
    });
    try {
      await assert.rejects(m.start(), { code: 'TRANSPORT_LISTEN_FAILED' });
      const first = m.listeners()[0]!;
      assert.notEqual(first.port, 0);
      await closeServer(await listenTcp(first.port));
    } finally {
      await new Promise((r) => blocker.close(r));
    }
  });

  it('reports a missing certificate file with its path', async () => {
    const m = new TransportManager({
      listeners: [
        { transport: 'tls', address: LOOP, port: 0, cert: '/nonexistent/cert.pem', key: certs.serverKey },
      ],
    });
    await assert.rejects(m.start(), (e: unknown) => {
      assert.equal((e as { code?: string }).code, 'TRANSPORT_TLS_CONFIG');
      assert.match((e as Error).message, /\/nonexistent\/cert\.pem/);
      return true;
    });
  });
});
