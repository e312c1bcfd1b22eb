/**
 * NgClient over a UDP socket that plays a busy rtpengine: it drops the first N commands it reads
 * and answers the rest (ng: `<cookie> <bencoded dictionary>`).
 */
import { strict as assert } from 'node:assert';
import dgram from 'node:dgram';
import { Worker } from 'node:worker_threads';
import { silentLog } from '../../../lib/util/logger';
import { capturingLog } from '../../support/capture-log';
import { isMediaError } from '../../../lib/media/media-error';
import { NgClient } from '../../../lib/media/ng-client';

interface FakeEngine {
  port: number;
  received: string[];
  close(): void;
}

async function dropFirst(dropped: number): Promise<FakeEngine> {
  const socket = dgram.createSocket('udp4');
  const received: string[] = [];
  socket.on('message', (msg, from) => {
    const text = msg.toString('latin1');
    received.push(text);
    if (received.length <= dropped) return;
    const cookie = text.slice(0, text.indexOf(' '));
    socket.send(`${cookie} d6:result2:oke`, from.port, from.address);
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  return { port: socket.address().port, received, close: () => socket.close() };
}

describe('NgClient retries over UDP', () => {
  const req = { 'call-id': 'c1', 'from-tag': 'f1' };
  const sdpReq = { ...req, sdp: 'v=0\r\n', flags: [], replace: [] };

  it('sends a call command again when rtpengine dropped it, and gets the reply', async () => {
    const engine = await dropFirst(2);
    const client = new NgClient(80, silentLog, { attempts: 3, receiveBufferBytes: 1 << 20 });
    try {
      const reply = await client.delete(
        { host: '127.0.0.1', port: engine.port },
        { ...req, 'delete-delay': 0 },
      );
      assert.equal(reply.result, 'ok');
      assert.equal(engine.received.length, 3);
      assert.ok(engine.received.every((m) => m.includes('6:delete')));
    } finally {
      client.close();
      engine.close();
    }
  });

  it('fails with MEDIA_ENGINE_TIMEOUT once every attempt went unanswered', async () => {
    const engine = await dropFirst(10);
    const client = new NgClient(50, silentLog, { attempts: 2 });
    try {
      await assert.rejects(
        client.offer({ host: '127.0.0.1', port: engine.port }, sdpReq),
        (e: unknown) => isMediaError(e) && e.code === 'MEDIA_ENGINE_TIMEOUT',
      );
      assert.equal(engine.received.length, 2);
    } finally {
      client.close();
      engine.close();
    }
  });

  it('does not retry by default (one send)', async () => {
    const engine = await dropFirst(1);
    const client = new NgClient(50, silentLog);
    try {
      await assert.rejects(
        client.answer({ host: '127.0.0.1', port: engine.port }, { ...sdpReq, 'to-tag': 't1' }),
      );
      assert.equal(engine.received.length, 1);
    } finally {
      client.close();
      engine.close();
    }
  });
});

describe('NgClient and late rtpengine replies', () => {
  const sdpReq = { 'call-id': 'c9', 'from-tag': 'f9', sdp: 'v=0\r\n', flags: [], replace: [] };
  it('drops a reply that comes after its command timed out: logged at debug, nothing printed', async () => {
    const socket = dgram.createSocket('udp4');
    socket.on('message', (msg, from) => {
      const text = msg.toString('latin1');
      const cookie = text.slice(0, text.indexOf(' '));
      setTimeout(() => {
        socket.send(`${cookie} d3:sdp5:v=0\r\n6:result2:oke`, from.port, from.address);
      }, 120);
    });
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
    const { log, lines } = capturingLog();
    const client = new NgClient(40, log);
    const printed: unknown[] = [];
    const consoleLog = console.log;
    console.log = (...args: unknown[]) => {
      printed.push(args);
    };
    try {
      await assert.rejects(
        client.offer({ host: '127.0.0.1', port: socket.address().port }, sdpReq),
        (e: unknown) => isMediaError(e) && e.code === 'MEDIA_ENGINE_TIMEOUT',
      );
      for (let i = 0; i < 50 && !lines.some((l) => l.msg === 'late rtpengine ng reply'); i++)
        await new Promise((r) => setTimeout(r, 10));
    } finally {
      console.log = consoleLog;
      client.close();
      socket.close();
    }
    assert.deepEqual(printed, []);
    const late = lines.filter((l) => l.msg === 'late rtpengine ng reply');
    assert.equal(late.length, 1);
    assert.equal(late[0]?.level, 'debug');
    assert.ok(!lines.some((l) => l.level === 'warn'), JSON.stringify(lines));
  });
});

describe('NgClient reply dispatch', () => {
  const target = (port: number): { host: string; port: number } => ({ host: '127.0.0.1', port });

  /** A fake rtpengine answering every command at once with `reply(cookie)`. */
  async function answering(reply: (cookie: string) => string): Promise<FakeEngine> {
    const socket = dgram.createSocket('udp4');
    const received: string[] = [];
    socket.on('message', (msg, from) => {
      const text = msg.toString('latin1');
      received.push(text);
      socket.send(reply(text.slice(0, text.indexOf(' '))), from.port, from.address);
    });
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
    return { port: socket.address().port, received, close: () => socket.close() };
  }

  it('settles a command in the event-loop turn its reply is read (not two turns later)', async () => {
    const engine = await answering((cookie) => `${cookie} d6:result2:oke`);
    const client = new NgClient(1000, silentLog);
    // the client's own socket: the test notes the turn in which the reply datagram was read
    const socket = (client as unknown as { client: { socket: dgram.Socket } }).client.socket;
    let turns = 0;
    let counting = true;
    const tick = (): void => {
      turns++;
      if (counting) setImmediate(tick);
    };
    setImmediate(tick);
    let readAt = -1;
    socket.prependListener('message', () => {
      readAt = turns;
    });
    try {
      const reply = await client.delete(target(engine.port), { 'call-id': 'c2', 'delete-delay': 0 });
      const settledAt = turns;
      assert.equal(reply.result, 'ok');
      assert.ok(readAt >= 0, 'the reply was read');
      assert.equal(settledAt, readAt);
    } finally {
      counting = false;
      client.close();
      engine.close();
    }
  });

  it('reports an undecodable reply as a client error (a warning), and the command times out', async () => {
    const engine = await answering((cookie) => `${cookie} d6:result`);
    const { log, lines } = capturingLog();
    const client = new NgClient(60, log);
    try {
      await assert.rejects(
        client.delete(target(engine.port), { 'call-id': 'c3', 'delete-delay': 0 }),
        (e: unknown) => isMediaError(e) && e.code === 'MEDIA_ENGINE_TIMEOUT',
      );
    } finally {
      client.close();
      engine.close();
    }
    const warned = lines.filter((l) => l.level === 'warn' && l.msg === 'rtpengine ng client error');
    assert.equal(warned.length, 1, JSON.stringify(lines));
  });

  it('settles a command whose reply was waiting unread when its timeout fired (busy thread)', async () => {
    // the fake rtpengine answers from another thread, so it answers while this one is blocked
    const worker = new Worker(
      `const dgram = require('node:dgram');
       const { parentPort } = require('node:worker_threads');
       const s = dgram.createSocket('udp4');
       s.on('message', (m, from) => {
         const t = m.toString('latin1');
         s.send(t.slice(0, t.indexOf(' ')) + ' d6:result2:oke', from.port, from.address);
       });
       s.bind(0, '127.0.0.1', () => parentPort.postMessage(s.address().port));
       parentPort.on('message', () => s.close(() => parentPort.close()));`,
      { eval: true },
    );
    const port = await new Promise<number>((resolve) => worker.once('message', resolve));
    const client = new NgClient(50, silentLog);
    try {
      // the first command binds the client's socket; the second is on its way before the block
      await client.delete(target(port), { 'call-id': 'c4', 'delete-delay': 0 });
      const pending = client.delete(target(port), { 'call-id': 'c5', 'delete-delay': 0 });
      await new Promise((resolve) => setImmediate(resolve)); // dgram sends after a lookup tick
      const until = Date.now() + 200;
      while (Date.now() < until); // busy for four timeouts; the reply arrives meanwhile
      const reply = await pending;
      assert.equal(reply.result, 'ok');
    } finally {
      client.close();
      worker.postMessage('stop');
      await new Promise((resolve) => worker.once('exit', resolve));
    }
  });
});
