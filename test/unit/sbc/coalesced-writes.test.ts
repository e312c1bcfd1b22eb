import { strict as assert } from 'node:assert';
import net from 'node:net';
import { MessageChannel } from 'node:worker_threads';
import { coalesceWrites } from '../../../lib/sbc/coalesced-writes';
import { PortSocket } from '../../../lib/util/port-socket';

/** A connected socket pair on loopback; `received` collects what the far end read. */
async function socketPair(): Promise<{ near: net.Socket; received: () => string; close(): void }> {
  let far: net.Socket | undefined;
  let text = '';
  const server = net.createServer((s) => {
    far = s;
    s.setEncoding('utf8');
    s.on('data', (d: string) => {
      text += d;
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  const near = net.connect(port, '127.0.0.1');
  await new Promise<void>((resolve) => near.once('connect', resolve));
  return {
    near,
    received: () => text,
    close: () => {
      near.destroy();
      far?.destroy();
      server.close();
    },
  };
}

const settle = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('coalesceWrites (srf control socket)', () => {
  it('sends the string writes of one turn in a single write, in order, and calls every callback', async () => {
    const pair = await socketPair();
    const underlying: unknown[] = [];
    const original = pair.near.write.bind(pair.near);
    pair.near.write = (chunk: unknown, ...rest: unknown[]) => {
      underlying.push(chunk);
      return (original as (...a: unknown[]) => boolean)(chunk, ...rest);
    };
    coalesceWrites(pair.near);
    try {
      let called = 0;
      pair.near.write('3#one', () => called++);
      pair.near.write('3#two', 'utf8', () => called++);
      pair.near.write('5#three');
      assert.equal(underlying.length, 0, 'nothing written before the check phase');
      await settle(50);
      assert.deepEqual(underlying, ['3#one3#two5#three']);
      assert.equal(called, 2);
      assert.equal(pair.received(), '3#one3#two5#three');
    } finally {
      pair.close();
    }
  });

  it('flushes waiting strings before a Buffer, so the order on the wire is the order of the writes', async () => {
    const pair = await socketPair();
    coalesceWrites(pair.near);
    try {
      pair.near.write('a|');
      pair.near.write(Buffer.from('b|'));
      pair.near.write('c|');
      await settle(50);
      assert.equal(pair.received(), 'a|b|c|');
    } finally {
      pair.close();
    }
  });

  it('reports an error to the callbacks of frames left when the socket was destroyed', async () => {
    const pair = await socketPair();
    coalesceWrites(pair.near);
    const errors: (Error | null | undefined)[] = [];
    pair.near.write('x', (err) => errors.push(err));
    pair.near.destroy();
    await settle(20);
    pair.close();
    assert.equal(errors.length, 1);
    assert.ok(errors[0] instanceof Error);
  });
});

describe('coalesceWrites over the in-process link', () => {
  it('joins the writes of one callback into one post and sends it before the check phase', async () => {
    const { port1, port2 } = new MessageChannel();
    const near = new PortSocket(port1);
    const posts: unknown[] = [];
    port2.on('message', (m: unknown) => posts.push(m));
    coalesceWrites(near);
    try {
      let beforeCheckPhase: number | undefined;
      setImmediate(() => (beforeCheckPhase = posts.length));
      near.write('3#one');
      near.write('3#two');
      await settle(50);
      assert.deepEqual(posts, ['3#one3#two']);
      assert.equal(beforeCheckPhase, 1, 'posted at the end of the callback, not in the check phase');
    } finally {
      near.destroy();
      port2.close();
    }
  });
});
