/** The lossy UDP relay with plain dgram sockets: forwarding both ways, drop and delay rules, log. */
import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import { eventually } from '../../support/http';
import { startLossyUdpRelay, type LossyUdpRelay } from '../../support/lossy-udp-relay';

const request = (method: string, n: number): Buffer =>
  Buffer.from(
    `${method} sip:svc@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1;branch=z9hG4bK${n}\r\n` +
      `Call-ID: call-${n}\r\nCSeq: ${n} ${method}\r\nContent-Length: 0\r\n\r\n`,
  );
const response = (status: number, cseq: string): Buffer =>
  Buffer.from(`SIP/2.0 ${status} X\r\ni: call-1\r\nCSeq: 1 ${cseq}\r\nContent-Length: 0\r\n\r\n`);

interface Peer {
  socket: dgram.Socket;
  port: number;
  got: string[];
}

async function peer(): Promise<Peer> {
  const socket = dgram.createSocket('udp4');
  const got: string[] = [];
  socket.on('message', (m) => got.push(m.toString('latin1').split('\r\n')[0] ?? ''));
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  return { socket, port: socket.address().port, got };
}

describe('lossy UDP relay', () => {
  let client: Peer;
  let server: Peer;
  let relay: LossyUdpRelay | undefined;

  beforeEach(async () => {
    client = await peer();
    server = await peer();
    // answer every request with 200 so the client ⇄ server path is exercised both ways
    server.socket.on('message', (m, r) => {
      const method = /^(\w+) /.exec(m.toString('latin1'))?.[1];
      if (method !== undefined) server.socket.send(response(200, method), r.port, r.address);
    });
  });
  afterEach(async () => {
    await relay?.close();
    relay = undefined;
    client.socket.close();
    server.socket.close();
  });

  const send = (b: Buffer): void => {
    if (relay === undefined) throw new Error('no relay');
    client.socket.send(b, relay.port, relay.host);
  };

  it('forwards requests to the server and replies to the learned client', async () => {
    relay = await startLossyUdpRelay({ server: { host: '127.0.0.1', port: server.port } });
    send(request('OPTIONS', 1));
    await eventually(
      () => {
        assert.deepEqual(client.got, ['SIP/2.0 200 X']);
      },
      2000,
      10,
    );
    assert.deepEqual(server.got, ['OPTIONS sip:svc@127.0.0.1 SIP/2.0']);
    assert.deepEqual(relay.clientAddress(), { host: '127.0.0.1', port: client.port });
    assert.equal(relay.counters.toServer.forwarded, 1);
    assert.equal(relay.counters.toClient.forwarded, 1);
    assert.deepEqual(
      relay.log.map((e) => `${e.direction} ${e.summary} ${e.action}`),
      ['toServer OPTIONS forwarded', 'toClient 200 OPTIONS forwarded'],
    );
    assert.equal(relay.log[0]?.callId, 'call-1');
    assert.equal(relay.log[1]?.callId, 'call-1', 'compact Call-ID (i:) is read');
  });

  it('drops exactly the n-th matching datagrams in one direction', async () => {
    relay = await startLossyUdpRelay({
      server: { host: '127.0.0.1', port: server.port },
      drop: [{ direction: 'toServer', match: (p) => p.method === 'INVITE', nth: [1, 3] }],
    });
    for (let i = 1; i <= 4; i++) send(request('INVITE', i));
    send(request('BYE', 5));
    await eventually(
      () => {
        assert.equal(client.got.length, 3);
      },
      2000,
      10,
    );
    assert.equal(relay.count({ method: 'INVITE', action: 'dropped' }), 2);
    assert.equal(relay.count({ method: 'INVITE', action: 'forwarded' }), 2);
    assert.equal(relay.count({ method: 'BYE', action: 'forwarded' }), 1);
    assert.equal(relay.count({ status: 200, cseqMethod: 'INVITE' }), 2);
    assert.deepEqual(relay.counters.toServer, { received: 5, forwarded: 3, dropped: 2, delayed: 0 });
    const dropped = relay.log.filter((e) => e.action === 'dropped').map((e) => e.reason);
    assert.deepEqual(dropped, ['rule', 'rule']);
  });

  it('drops responses towards the client by predicate', async () => {
    relay = await startLossyUdpRelay({
      server: { host: '127.0.0.1', port: server.port },
      drop: [{ direction: 'toClient', match: (p) => p.status === 200, nth: [1] }],
    });
    send(request('OPTIONS', 1));
    await eventually(
      () => {
        assert.equal(relay?.counters.toClient.dropped, 1);
      },
      2000,
      10,
    );
    send(request('OPTIONS', 2));
    await eventually(
      () => {
        assert.equal(client.got.length, 1);
      },
      2000,
      10,
    );
    assert.equal(relay.count({ direction: 'toClient', action: 'dropped' }), 1);
  });

  it('seeded probabilistic loss is reproducible', async () => {
    const pattern = async (seed: number): Promise<string> => {
      const r = await startLossyUdpRelay({
        server: { host: '127.0.0.1', port: 9 }, // discard port: nothing needs to answer
        drop: [{ direction: 'toServer', probability: 0.5 }],
        seed,
      });
      relay = r;
      for (let i = 1; i <= 40; i++) client.socket.send(request('MESSAGE', i), r.port, r.host);
      await eventually(
        () => {
          assert.equal(r.counters.toServer.received, 40);
        },
        2000,
        10,
      );
      await r.close();
      relay = undefined;
      return r.log.map((e) => (e.action === 'dropped' ? 'x' : '.')).join('');
    };
    const a = await pattern(42);
    const b = await pattern(42);
    const c = await pattern(7);
    assert.equal(a, b);
    assert.notEqual(a, c);
    const drops = a.split('').filter((ch) => ch === 'x').length;
    assert.ok(drops > 5 && drops < 35, `about half dropped: ${a}`);
  });

  it('delays matching datagrams', async () => {
    relay = await startLossyUdpRelay({
      server: { host: '127.0.0.1', port: server.port },
      delay: [{ direction: 'toServer', match: (p) => p.method === 'INVITE', delayMs: 300 }],
    });
    const t0 = Date.now();
    send(request('INVITE', 1));
    await eventually(
      () => {
        assert.equal(client.got.length, 1);
      },
      2000,
      5,
    );
    const elapsed = Date.now() - t0;
    assert.ok(elapsed >= 290, `reply after ${elapsed} ms`);
    assert.deepEqual(relay.counters.toServer, { received: 1, forwarded: 1, dropped: 0, delayed: 1 });
  });
});
