/**
 * The engine's control port against the real, unmodified drachtio-srf: authenticate, hostports,
 * wrong secret, ping, route; and hostile frames that must not crash the engine.
 */
import assert from 'node:assert/strict';
import net from 'node:net';
import Srf from 'drachtio-srf';
import { silentLog } from '../../../lib/util/logger';
import { ControlServer } from '../../../lib/engine/control/control-server';
import { FrameDecoder, encodeFrame } from '../../../lib/engine/control/frame-codec';
import { eventually } from '../../support/http';

const HOSTPORTS = {
  external: 'udp/203.0.113.10:5060,tcp/203.0.113.10:5060',
  local: 'udp/10.0.0.5:5060,tcp/10.0.0.5:5060',
};

function srfConnect(
  port: number,
  secret: string,
): Promise<{ srf: Srf; err: Error | null; hostport: string }> {
  const srf = new Srf();
  return new Promise((resolve) => {
    srf.on('connect', (err: Error | null, hostport: string) => {
      resolve({ srf, err, hostport });
    });
    // One attempt: a refused app must not keep reconnecting into later tests' engines.
    const opts = { host: '127.0.0.1', port, secret, reconnect: { maxAttempts: 1 } };
    void srf.connect(opts);
  });
}

/** Raw client: send frames, collect decoded replies and the close. */
function rawClient(port: number) {
  const socket = net.connect(port, '127.0.0.1');
  const decoder = new FrameDecoder();
  const replies: string[] = [];
  let closed = false;
  socket.on('data', (d: Buffer) => replies.push(...decoder.push(d)));
  socket.on('close', () => (closed = true));
  socket.on('error', () => undefined);
  return { socket, replies, isClosed: () => closed };
}

describe('engine control port with real drachtio-srf', function () {
  this.timeout(15_000);
  let server: ControlServer;
  let port: number;
  const srfs: Srf[] = [];

  beforeEach(async () => {
    server = new ControlServer({
      address: '127.0.0.1',
      port: 0,
      secret: 'cymru',
      version: 'v0.9.9',
      hostports: () => HOSTPORTS,
      onTraffic: (conn, _kind, msgId) => {
        conn.respond(msgId, ['NOK', 'test']);
      },
      log: silentLog,
    });
    port = (await server.listen()).port;
  });

  afterEach(async () => {
    for (const s of srfs.splice(0)) {
      s.removeAllListeners();
      try {
        s.disconnect();
      } catch {
        // already disconnected (srf asserts on a missing socket)
      }
    }
    await server.close();
  });

  it('authenticates srf and hands it the SIP hostports', async () => {
    const { srf, err, hostport } = await srfConnect(port, 'cymru');
    srfs.push(srf);
    assert.equal(err, null);
    assert.equal(hostport, HOSTPORTS.external);
  });

  it('refuses a wrong secret and closes the connection', async () => {
    const { srf, err } = await srfConnect(port, 'wrong');
    srfs.push(srf);
    assert.match(err?.message ?? '', /failed to authenticate/);
    await eventually(() => {
      assert.equal(server.connectionCount, 0);
    });
  });

  it('registers route verbs from srf.invite() and forgets them when the app leaves', async () => {
    const srf = new Srf();
    srfs.push(srf);
    srf.invite(() => undefined);
    srf.use('options', () => undefined);
    await new Promise<void>((resolve) => {
      srf.on('connect', () => {
        resolve();
      });
      const opts = { host: '127.0.0.1', port, secret: 'cymru', reconnect: { maxAttempts: 1 } };
      void srf.connect(opts);
    });
    await eventually(() => {
      assert.deepEqual(server.apps.routedVerbs().sort(), ['invite', 'options']);
    });
    srf.disconnect();
    await eventually(() => {
      assert.deepEqual(server.apps.routedVerbs(), []);
    });
  });

  it('answers ping with pong', async () => {
    const c = rawClient(port);
    c.socket.write(encodeFrame('m1|authenticate|cymru|'));
    c.socket.write(encodeFrame('m2|ping'));
    await eventually(() => {
      assert.equal(c.replies.length, 2);
    });
    assert.match(
      c.replies[0] ?? '',
      /^[A-Za-z0-9_-]+\|response\|m1\|OK\|udp\/203\.0\.113\.10:5060,tcp\/203\.0\.113\.10:5060\|v0\.9\.9\|udp\/10\.0\.0\.5/,
    );
    assert.match(c.replies[1] ?? '', /\|response\|m2\|OK\|pong$/);
    c.socket.destroy();
  });

  for (const [name, bytes] of [
    ['a malformed length prefix', Buffer.from('12x#garbage')],
    ['traffic before authenticate', encodeFrame('m1|route|invite')],
    [
      'an unknown frame type',
      Buffer.concat([encodeFrame('m1|authenticate|cymru|'), encodeFrame('m2|frobnicate')]),
    ],
  ] as const) {
    it(`closes only the offending connection on ${name}`, async () => {
      const good = await srfConnect(port, 'cymru');
      srfs.push(good.srf);
      const bad = rawClient(port);
      bad.socket.write(bytes);
      await eventually(() => {
        assert.equal(bad.isClosed(), true);
      });
      assert.equal(server.connectionCount, 1, 'the well-behaved app stays connected');
    });
  }
});
