import assert from 'node:assert/strict';
import net from 'node:net';
import { once } from 'node:events';
import { MessageChannel } from 'node:worker_threads';
import { PortSocket } from '../../../lib/util/port-socket';

function pair(): [PortSocket, PortSocket] {
  const { port1, port2 } = new MessageChannel();
  return [new PortSocket(port1, 'app'), new PortSocket(port2)];
}

/** Everything `socket` receives until it ends, as text. */
async function readAll(socket: net.Socket): Promise<string> {
  const chunks: Buffer[] = [];
  socket.on('data', (d: Buffer) => chunks.push(d));
  await once(socket, 'end');
  return Buffer.concat(chunks).toString('utf8');
}

describe('PortSocket', () => {
  it('is a net.Socket (drachtio-srf checks) that carries strings and bytes in order, UTF-8 intact', async () => {
    const [a, b] = pair();
    assert.ok(a instanceof net.Socket);
    const closed = once(b, 'close');
    const received = readAll(b);
    a.write('5#héllo');
    a.write(Buffer.from('|bytes|'));
    a.write('6C6174696E', 'hex');
    a.cork();
    a.write('one,');
    a.write('two');
    a.uncork();
    a.end();
    assert.equal(await received, '5#héllo|bytes|latinone,two');
    await closed;
    assert.equal(b.destroyed, true);
  });

  it('sends a small pooled Buffer as its own bytes, not the 8 KiB pool it is a view of', async () => {
    const [a, b] = pair();
    const small = Buffer.from('abc');
    assert.ok(small.buffer.byteLength > small.byteLength, 'Node pools small Buffers (the premise)');
    const arrived = once(b, 'data') as Promise<[Buffer]>;
    a.write(small);
    const [data] = await arrived;
    assert.equal(data.toString('latin1'), 'abc');
    assert.equal(data.buffer.byteLength, 3, 'only the written bytes crossed');
    a.destroy();
  });

  it('announces a connection once listeners can see it, and labels the peer for logs', async () => {
    const [a] = pair();
    let connected = false;
    a.announceConnected().on('connect', () => (connected = true));
    assert.equal(connected, false, 'not before the caller installed its listeners');
    await once(a, 'connect');
    assert.equal(connected, true);
    assert.equal(a.remoteAddress, 'app');
    assert.equal(a.remotePort, 0);
    a.destroy();
  });

  it('ends and closes the other side when one side is destroyed (a thread gone), and refuses writes after', async () => {
    const [a, b] = pair();
    const ended = once(b, 'end');
    const closed = once(b, 'close');
    b.resume();
    a.destroy();
    await ended;
    await closed;
    assert.equal(b.destroyed, true);
    b.on('error', () => undefined);
    const refused = await new Promise<Error | null | undefined>((resolve) => {
      b.write('late', resolve);
    });
    assert.ok(refused instanceof Error);
  });

  it('a half-close ends the reader, which then ends its own side (no half-open connections, as net)', async () => {
    const [a, b] = pair();
    const closed = Promise.all([once(a, 'close'), once(b, 'close')]);
    const fromB = readAll(a);
    const fromA = readAll(b);
    b.on('end', () => b.end('bye'));
    a.end('hi');
    assert.equal(await fromA, 'hi');
    assert.equal(await fromB, 'bye');
    await closed;
  });
});
