import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { connect as tlsConnect, type TLSSocket } from 'node:tls';
import type { TransportManager } from '../../../lib/sip/transport';
import {
  codeOf,
  makeCerts,
  Managed,
  nextEvent,
  nextMessage,
  port,
  sipRequest,
  sipResponse,
  type TestCerts,
  waitFor,
} from './helpers';

const LOOP = '127.0.0.1';

function tlsClient(
  portNumber: number,
  certs: TestCerts,
  clientCert?: { cert: string; key: string },
): Promise<TLSSocket> {
  return new Promise((resolve, reject) => {
    const s = tlsConnect({
      host: LOOP,
      port: portNumber,
      ca: readFileSync(certs.ca),
      ...(clientCert ? { cert: readFileSync(clientCert.cert), key: readFileSync(clientCert.key) } : {}),
    });
    s.once('secureConnect', () => {
      resolve(s);
    });
    s.once('error', reject);
  });
}

/** Resolves true if the server ends the session (TLS 1.3 reports client-cert refusal after the handshake). */
function refused(s: TLSSocket, ms = 3000): Promise<boolean> {
  return new Promise((resolve) => {
    const t = setTimeout(() => {
      resolve(false);
    }, ms);
    s.on('error', () => undefined);
    s.once('close', () => {
      clearTimeout(t);
      resolve(true);
    });
  });
}

describe('TLS transport', function () {
  let certs: TestCerts;
  const managed = new Managed();
  const sockets: (TLSSocket | Socket)[] = [];
  before(function () {
    this.timeout(20_000);
    certs = makeCerts();
  });
  after(() => {
    certs.cleanup();
  });
  afterEach(async () => {
    for (const s of sockets.splice(0)) s.destroy();
    await managed.closeAll();
  });

  const tlsManager = (requireClientCert: boolean, limits = {}): Promise<TransportManager> =>
    managed.start({
      listeners: [
        {
          transport: 'tls',
          address: LOOP,
          port: 0,
          cert: certs.serverCert,
          key: certs.serverKey,
          ca: certs.ca,
          requireClientCert,
        },
      ],
      limits,
    });

  it('carries SIP both ways without client certificates', async () => {
    const m = await tlsManager(false);
    const c = await tlsClient(port(m), certs);
    sockets.push(c);
    const got = nextMessage(m);
    c.write(sipRequest('OPTIONS', 'tls-1', '', 'TLS'));
    const [data, flow] = await got;
    assert.match(data.toString(), /tls-1/);
    assert.equal(flow.transport, 'tls');
    let received = '';
    c.on('data', (d: Buffer) => (received += d.toString()));
    await m.send(
      {
        transport: 'tls',
        address: flow.remoteAddress,
        port: flow.remotePort,
        connectionId: flow.connectionId!,
      },
      Buffer.from(sipResponse('tls-1')),
    );
    await waitFor(() => received === sipResponse('tls-1'), 'reply over TLS');
  });

  it('with requireClientCert accepts a client whose certificate chains to the CA', async () => {
    const m = await tlsManager(true);
    const c = await tlsClient(port(m), certs, { cert: certs.clientCert, key: certs.clientKey });
    sockets.push(c);
    const got = nextMessage(m);
    c.write(sipRequest('OPTIONS', 'mtls-ok', '', 'TLS'));
    assert.match((await got)[0].toString(), /mtls-ok/);
  });

  for (const variant of ['no certificate', 'a certificate from another CA'] as const) {
    it(`with requireClientCert refuses a client presenting ${variant}`, async () => {
      const m = await tlsManager(true);
      let delivered = false;
      let opened = false;
      m.on('message', () => (delivered = true));
      m.on('connection-open', () => (opened = true));
      const handshakeError = nextEvent(m, 'error');
      const client =
        variant === 'no certificate' ? undefined : { cert: certs.rogueCert, key: certs.rogueKey };
      const c = await tlsClient(port(m), certs, client).catch(() => undefined);
      if (c !== undefined) {
        sockets.push(c);
        c.on('error', () => undefined);
        c.write(sipRequest('OPTIONS', 'mtls-bad', '', 'TLS'));
        assert.equal(await refused(c), true, 'server ended the session');
      }
      assert.equal(codeOf((await handshakeError)[0]), 'TRANSPORT_TLS_HANDSHAKE');
      assert.equal(delivered, false);
      assert.equal(opened, false);
    });
  }

  it('connects outbound with server verification and a client certificate (mutual TLS)', async () => {
    const server = await tlsManager(true);
    const client = await managed.start({
      listeners: [],
      outboundTls: { cert: certs.clientCert, key: certs.clientKey, ca: certs.ca },
    });
    const got = nextMessage(server);
    const flow = await client.send(
      { transport: 'tls', address: LOOP, port: port(server) },
      Buffer.from(sipRequest('OPTIONS', 'tls-out', '', 'TLS')),
    );
    assert.equal(flow.transport, 'tls');
    assert.match((await got)[0].toString(), /tls-out/);
    // Identity is checked against the server name when one is given (SAN DNS:localhost).
    const outboundTls = { cert: certs.clientCert, key: certs.clientKey, ca: certs.ca };
    const named = await managed.start({ listeners: [], outboundTls });
    const msg = Buffer.from(sipRequest('OPTIONS', 'tls-name', '', 'TLS'));
    const target = { transport: 'tls' as const, address: LOOP, port: port(server) };
    assert.equal((await named.send({ ...target, serverName: 'localhost' }, msg)).transport, 'tls');
    const misnamed = await managed.start({ listeners: [], outboundTls });
    await assert.rejects(misnamed.send({ ...target, serverName: 'wrong.example' }, msg), (e: unknown) => {
      assert.equal(codeOf(e), 'TRANSPORT_CONNECT_FAILED');
      assert.match((e as Error).message, /wrong\.example/);
      return true;
    });
  });

  it('refuses an outbound TLS server whose certificate is not trusted', async () => {
    const server = await tlsManager(false);
    const client = await managed.start({
      listeners: [],
      outboundTls: { cert: certs.clientCert, key: certs.clientKey, ca: certs.rogueCert },
    });
    await assert.rejects(
      client.send({ transport: 'tls', address: LOOP, port: port(server) }, Buffer.from('x')),
      {
        code: 'TRANSPORT_CONNECT_FAILED',
        sipStatus: 503,
      },
    );
    assert.equal(client.connections().length, 0);
  });

  it('gives up on a TLS handshake that never completes after the connect timeout', async () => {
    const silent: Server = createServer((s) => sockets.push(s));
    await new Promise<void>((r) => silent.listen(0, LOOP, r));
    try {
      const address = silent.address();
      assert.ok(typeof address === 'object' && address !== null);
      const client = await managed.start({ listeners: [], limits: { connectTimeoutMs: 200 } });
      const started = Date.now();
      await assert.rejects(
        client.send({ transport: 'tls', address: LOOP, port: address.port }, Buffer.from('x')),
        {
          code: 'TRANSPORT_CONNECT_TIMEOUT',
          sipStatus: 503,
        },
      );
      assert.ok(Date.now() - started < 2000);
    } finally {
      for (const s of sockets.splice(0)) s.destroy();
      await new Promise((r) => silent.close(r));
    }
  });
});
