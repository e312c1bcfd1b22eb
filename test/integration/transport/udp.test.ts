import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createSocket, type Socket } from 'node:dgram';
import type { Flow } from '../../../lib/sip/transport';
import { TransportManager } from '../../../lib/sip/transport';
import { codeOf, Managed, nextEvent, nextMessage, port, sipRequest, sipResponse } from './helpers';

function udpPeer(type: 'udp4' | 'udp6', address: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = createSocket(type);
    s.once('error', reject);
    s.bind(0, address, () => {
      resolve(s);
    });
  });
}

function nextDatagram(s: Socket, timeoutMs = 2000): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => {
      reject(new Error('no datagram'));
    }, timeoutMs);
    s.once('message', (m) => {
      clearTimeout(t);
      resolve(m);
    });
  });
}

async function ipv6Available(): Promise<boolean> {
  try {
    const s = await udpPeer('udp6', '::1');
    s.close();
    return true;
  } catch {
    return false;
  }
}

for (const family of [4, 6] as const) {
  const loopback = family === 4 ? '127.0.0.1' : '::1';
  describe(`UDP over IPv${family}`, function () {
    const managed = new Managed();
    const peers: Socket[] = [];
    before(async function () {
      if (family === 6 && !(await ipv6Available())) {
        console.log('    ::1 is not available on this host: skipping the IPv6 UDP tests');
        this.skip();
      }
    });
    afterEach(async () => {
      for (const p of peers.splice(0)) p.close();
      await managed.closeAll();
    });

    async function setup(): Promise<{ m: Awaited<ReturnType<Managed['start']>>; peer: Socket }> {
      const m = await managed.start({
        listeners: [{ transport: 'udp', address: loopback, port: 0, advertise: '203.0.113.10' }],
      });
      const peer = await udpPeer(family === 4 ? 'udp4' : 'udp6', loopback);
      peers.push(peer);
      return { m, peer };
    }

    it('delivers a datagram with its flow and sends the reply back to the source', async () => {
      const { m, peer } = await setup();
      const listener = m.listeners()[0]!;
      assert.deepEqual(listener.advertise, { host: '203.0.113.10', port: listener.port });
      const got = nextMessage(m);
      const req = sipRequest('OPTIONS', 'udp-1', '', 'UDP');
      peer.send(req, port(m), loopback);
      const [data, flow] = await got;
      assert.equal(data.toString(), req);
      const expected: Flow = {
        transport: 'udp',
        localAddress: loopback,
        localPort: port(m),
        remoteAddress: loopback,
        remotePort: peer.address().port,
        connectionId: undefined,
        listenerId: listener.id,
      };
      assert.deepEqual(flow, expected);
      const reply = nextDatagram(peer);
      const sent = await m.send(
        { transport: 'udp', address: flow.remoteAddress, port: flow.remotePort },
        Buffer.from(sipResponse('udp-1')),
      );
      assert.equal(sent.listenerId, listener.id);
      assert.equal((await reply).toString(), sipResponse('udp-1'));
    });

    it('gives every datagram of one peer the same flow object, and another peer its own', async () => {
      const { m, peer } = await setup();
      const other = await udpPeer(family === 4 ? 'udp4' : 'udp6', loopback);
      peers.push(other);
      const flows: Flow[] = [];
      for (const [from, id] of [
        [peer, 'udp-a1'],
        [peer, 'udp-a2'],
        [other, 'udp-b1'],
      ] as const) {
        const got = nextMessage(m);
        from.send(sipRequest('OPTIONS', id, '', 'UDP'), port(m), loopback);
        flows.push((await got)[1]);
      }
      const [a1, a2, b1] = flows;
      assert.ok(a1 !== undefined && a2 !== undefined && b1 !== undefined);
      assert.equal(a1, a2);
      assert.notEqual(a1, b1);
      assert.equal(a1.remotePort, peer.address().port);
      assert.equal(b1.remotePort, other.address().port);
    });

    it('swallows CRLF keepalives and answers STUN Binding requests without passing them up', async () => {
      const { m, peer } = await setup();
      const messages: string[] = [];
      m.on('message', (d) => messages.push(d.toString()));
      peer.send('\r\n\r\n', port(m), loopback);
      peer.send('\r\n', port(m), loopback);
      const stun = Buffer.alloc(20);
      stun.writeUInt16BE(0x0001, 0);
      stun.writeUInt32BE(0x2112a442, 4);
      randomBytes(12).copy(stun, 8);
      const answer = nextDatagram(peer);
      peer.send(stun, port(m), loopback);
      const res = await answer;
      assert.equal(res.readUInt16BE(0), 0x0101, 'Binding success response');
      assert.deepEqual(res.subarray(8, 20), stun.subarray(8, 20));
      assert.equal(res.readUInt16BE(26) ^ 0x2112, peer.address().port, 'XOR-MAPPED-ADDRESS port');
      // A SIP message sent afterwards is the first thing passed up.
      const got = nextMessage(m);
      peer.send(sipRequest('OPTIONS', 'after-keepalive', '', 'UDP'), port(m), loopback);
      await got;
      assert.equal(messages.length, 1);
      assert.match(messages[0]!, /after-keepalive/);
    });

    it('reports non-SIP datagrams as errors, not messages', async () => {
      const { m, peer } = await setup();
      const err = nextEvent(m, 'error');
      peer.send(Buffer.from([0xff, 0x00, 0x12]), port(m), loopback);
      const [e] = await err;
      assert.equal(codeOf(e), 'TRANSPORT_UDP_GARBAGE');
    });
  });
}

describe('UDP send errors', () => {
  const managed = new Managed();
  afterEach(() => managed.closeAll());

  it('rejects with a typed 503 error when no listener can reach the family', async () => {
    const m = await managed.start({ listeners: [{ transport: 'udp', address: '127.0.0.1', port: 0 }] });
    await assert.rejects(m.send({ transport: 'udp', address: '::1', port: 5060 }, Buffer.from('x')), {
      code: 'TRANSPORT_NO_LISTENER',
      sipStatus: 503,
    });
    await assert.rejects(
      m.send({ transport: 'udp', address: '127.0.0.1', port: 5060 }, Buffer.alloc(70_000)),
      {
        code: 'TRANSPORT_MESSAGE_TOO_LARGE',
      },
    );
  });
});

describe('UDP receive buffer (SO_RCVBUF)', () => {
  it('sets the configured receive buffer on UDP listeners', async () => {
    const small = new TransportManager({
      listeners: [{ transport: 'udp', address: '127.0.0.1', port: 0 }],
      limits: { udpReceiveBufferBytes: 0 },
    });
    const large = new TransportManager({
      listeners: [{ transport: 'udp', address: '127.0.0.1', port: 0 }],
      limits: { udpReceiveBufferBytes: 1024 * 1024 },
    });
    await small.start();
    await large.start();
    try {
      const osDefault = Object.values(small.receiveBufferSizes())[0] ?? 0;
      const configured = Object.values(large.receiveBufferSizes())[0] ?? 0;
      // Linux doubles the requested value for bookkeeping; either way it is well above the default.
      assert.ok(configured >= 1024 * 1024, `configured ${configured}`);
      assert.ok(configured > osDefault, `configured ${configured} vs default ${osDefault}`);
    } finally {
      await small.close();
      await large.close();
    }
  });
});
