import assert from 'node:assert/strict';
import { FakeClock } from '../../../lib/util/clock';
import type { CloseReason, TransportManager } from '../../../lib/sip/transport';
import {
  closedWithin,
  codeOf,
  Managed,
  nextEvent,
  nextMessage,
  port,
  RawPeer,
  sipRequest,
  sipResponse,
  waitFor,
} from './helpers';

const LOOP = '127.0.0.1';

describe('TCP transport', () => {
  const managed = new Managed();
  const peers: RawPeer[] = [];
  afterEach(async () => {
    for (const p of peers.splice(0)) p.socket.destroy();
    await managed.closeAll();
  });

  const tcp = (limits = {}, clock?: FakeClock): Promise<TransportManager> =>
    managed.start({
      listeners: [{ transport: 'tcp', address: LOOP, port: 0 }],
      limits,
      ...(clock ? { clock } : {}),
    });
  const peer = async (m: TransportManager): Promise<RawPeer> => {
    const p = await RawPeer.connect(port(m));
    peers.push(p);
    return p;
  };

  it('delivers framed messages with the connection flow and replies over the same connection', async () => {
    const m = await tcp();
    const opened = nextEvent(m, 'connection-open');
    const p = await peer(m);
    const [info] = await opened;
    assert.equal(info.direction, 'inbound');
    const got = nextMessage(m);
    const req = sipRequest('INVITE', 'tcp-1', 'v=0\r\n');
    p.socket.write(req.slice(0, 10));
    p.socket.write(req.slice(10));
    const [data, flow] = await got;
    assert.equal(data.toString(), req);
    assert.equal(flow.transport, 'tcp');
    assert.equal(flow.connectionId, info.id);
    assert.equal(flow.remotePort, p.socket.localPort);
    assert.equal(flow.localPort, port(m));
    let reopened = false;
    m.on('connection-open', () => (reopened = true));
    // By connection id, then by address/port alone: both reuse the inbound connection.
    await m.send(
      {
        transport: 'tcp',
        address: flow.remoteAddress,
        port: flow.remotePort,
        connectionId: flow.connectionId,
      },
      Buffer.from(sipResponse('tcp-1')),
    );
    const sent = await m.send(
      { transport: 'tcp', address: flow.remoteAddress, port: flow.remotePort },
      Buffer.from(sipResponse('tcp-2')),
    );
    assert.equal(sent.connectionId, info.id);
    await waitFor(() => p.text().includes('tcp-2'), 'replies on the peer');
    assert.equal(p.text(), sipResponse('tcp-1') + sipResponse('tcp-2'));
    assert.equal(reopened, false);
    assert.equal(m.connections().length, 1);
  });

  it('answers a CRLFCRLF ping with a CRLF pong (RFC 5626 §3.5.1)', async () => {
    const m = await tcp();
    const p = await peer(m);
    p.socket.write('\r\n\r\n');
    await waitFor(() => p.received.length > 0, 'pong');
    assert.equal(p.text(), '\r\n');
  });

  it('closes a connection after the idle timeout, but not while it is used', async () => {
    const clock = new FakeClock();
    const m = await tcp({ idleTimeoutMs: 1000 }, clock);
    const opened = nextEvent(m, 'connection-open');
    const p = await peer(m);
    await opened;
    clock.advance(600);
    const got = nextMessage(m);
    p.socket.write(sipRequest('OPTIONS', 'keep-me'));
    await got;
    clock.advance(600);
    assert.equal(await closedWithin(p, 100), false, 'activity postponed the idle close');
    const closing = nextEvent(m, 'connection-close');
    clock.advance(400);
    const [, reason] = await closing;
    assert.equal(reason, 'idle');
    assert.equal(await closedWithin(p, 2000), true);
    assert.equal(m.connections().length, 0);
  });

  it('enforces the per-source connection cap and reports the rejection', async () => {
    const m = await tcp({ maxConnectionsPerSource: 2 });
    const rejected = nextEvent(m, 'connection-rejected');
    const a = await peer(m);
    const b = await peer(m);
    const c = await peer(m);
    const [info] = await rejected;
    assert.equal(info.reason, 'per-source-limit');
    assert.equal(info.remotePort, c.socket.localPort);
    assert.equal(await closedWithin(c, 2000), true);
    assert.equal(a.closed || b.closed, false);
    assert.equal(m.connections().length, 2);
    // The slot frees up when a connection goes away.
    a.socket.destroy();
    await waitFor(() => m.connections().length === 1, 'slot freed');
    const d = await peer(m);
    assert.equal(await closedWithin(d, 200), false);
  });

  it('survives a throwing message handler and reports it', async () => {
    const m = await tcp();
    let calls = 0;
    m.on('message', () => {
      calls++;
      if (calls === 1) throw new Error('upper layer bug');
    });
    const errored = nextEvent(m, 'error');
    const p = await peer(m);
    p.socket.write(sipRequest('OPTIONS', 'boom'));
    assert.equal(codeOf((await errored)[0]), 'TRANSPORT_HANDLER_FAILED');
    const got = nextMessage(m);
    p.socket.write(sipRequest('OPTIONS', 'after-boom'));
    assert.match((await got)[0].toString(), /after-boom/);
    assert.equal(p.closed, false);
  });

  it('enforces the total connection cap', async () => {
    const m = await tcp({ maxConnections: 1 });
    const rejected = nextEvent(m, 'connection-rejected');
    await peer(m);
    const second = await peer(m);
    assert.equal((await rejected)[0].reason, 'total-limit');
    assert.equal(await closedWithin(second, 2000), true);
  });

  it('closes the connection on garbage', async () => {
    const m = await tcp();
    const closing = nextEvent(m, 'connection-close');
    const errored = nextEvent(m, 'error');
    const p = await peer(m);
    p.socket.write(Buffer.from([0x16, 0x03, 0x01, 0x00, 0x05]));
    assert.equal((await closing)[1], 'framing-error' satisfies CloseReason);
    assert.equal(codeOf((await errored)[0]), 'TRANSPORT_FRAMING');
    assert.equal(await closedWithin(p, 2000), true);
  });

  it('disconnects a peer sending an endless header without CRLFCRLF', async () => {
    const m = await tcp({ maxHeaderBytes: 4096 });
    const closing = nextEvent(m, 'connection-close');
    const p = await peer(m);
    p.socket.write('OPTIONS sip:a@b SIP/2.0\r\n');
    let sent = 0;
    const line = Buffer.from('X-Padding: ' + 'a'.repeat(100) + '\r\n');
    while (!p.closed && sent < 1_000_000) {
      p.socket.write(line);
      sent += line.length;
      if (sent % (line.length * 20) === 0) await new Promise((r) => setImmediate(r));
    }
    assert.equal((await closing)[1], 'framing-error');
    assert.equal(await closedWithin(p, 2000), true);
    assert.ok(sent < 1_000_000, 'disconnected long before a megabyte');
  });

  it('closes a connection whose peer stops reading once the send queue cap is exceeded', async () => {
    const m = await tcp({ maxSendQueueBytes: 64 * 1024 });
    const opened = nextEvent(m, 'connection-open');
    const p = await peer(m);
    p.socket.pause();
    const [info] = await opened;
    const closing = nextEvent(m, 'connection-close', 10_000);
    const chunk = Buffer.from(sipRequest('MESSAGE', 'flood', 'x'.repeat(16 * 1024)));
    const target = {
      transport: 'tcp' as const,
      address: LOOP,
      port: p.socket.localPort!,
      connectionId: info.id,
    };
    let failure: unknown;
    for (let i = 0; i < 20_000 && failure === undefined; i++) {
      m.send(target, chunk).catch((e: unknown) => (failure ??= e));
      if (i % 32 === 0) await new Promise((r) => setImmediate(r));
    }
    await waitFor(() => failure !== undefined, 'a send to fail');
    assert.equal(codeOf(failure), 'TRANSPORT_SEND_QUEUE_FULL');
    assert.equal((failure as { sipStatus?: number }).sipStatus, 503);
    assert.equal((await closing)[1], 'send-queue-overflow');
  });
});

describe('TCP outbound', () => {
  const managed = new Managed();
  afterEach(() => managed.closeAll());
  const tcp = (limits = {}): Promise<TransportManager> =>
    managed.start({ listeners: [{ transport: 'tcp', address: LOOP, port: 0 }], limits });

  it('opens one connection on demand, reuses it, and receives replies on it', async () => {
    const a = await tcp();
    const b = await tcp();
    const target = { transport: 'tcp' as const, address: LOOP, port: port(b) };
    const atB = nextMessage(b);
    // Two concurrent sends to a new destination share one connect.
    const [f1, f2] = await Promise.all([
      a.send(target, Buffer.from(sipRequest('OPTIONS', 'out-1'))),
      a.send(target, Buffer.from(sipRequest('OPTIONS', 'out-2'))),
    ]);
    assert.equal(f1.connectionId, f2.connectionId);
    assert.equal(a.connections().length, 1);
    assert.equal(a.connection(f1.connectionId!)?.direction, 'outbound');
    const [, bFlow] = await atB;
    const atA = nextMessage(a);
    await b.send(
      {
        transport: 'tcp',
        address: bFlow.remoteAddress,
        port: bFlow.remotePort,
        connectionId: bFlow.connectionId!,
      },
      Buffer.from(sipResponse('out-1')),
    );
    const [reply, aFlow] = await atA;
    assert.equal(reply.toString(), sipResponse('out-1'));
    assert.equal(aFlow.connectionId, f1.connectionId);
    assert.equal(a.connections().length, 1);
    assert.equal(b.connections().length, 1);
  });

  it('routes requests to an RFC 5923 alias over the existing connection', async () => {
    const m = await tcp();
    const p = await RawPeer.connect(port(m));
    try {
      const got = nextMessage(m);
      p.socket.write(sipRequest('REGISTER', 'alias'));
      const [, flow] = await got;
      assert.ok(m.addAlias(flow.connectionId!, 'pbx.example.test', 5060));
      const sent = await m.send(
        { transport: 'tcp', address: 'pbx.example.test', port: 5060 },
        Buffer.from(sipRequest('OPTIONS', 'via-alias')),
      );
      assert.equal(sent.connectionId, flow.connectionId);
      await waitFor(() => p.text().includes('via-alias'), 'request over the aliased connection');
    } finally {
      p.socket.destroy();
    }
  });

  it('rejects with a typed 503 error when the connection cannot be made', async () => {
    const m = await tcp();
    const closed = await tcp();
    const deadPort = port(closed);
    await closed.close();
    await assert.rejects(m.send({ transport: 'tcp', address: LOOP, port: deadPort }, Buffer.from('x')), {
      code: 'TRANSPORT_CONNECT_FAILED',
      sipStatus: 503,
    });
    await assert.rejects(m.send({ transport: 'ws', address: LOOP, port: deadPort }, Buffer.from('x')), {
      code: 'TRANSPORT_NO_CONNECTION',
      sipStatus: 503,
    });
  });
});
