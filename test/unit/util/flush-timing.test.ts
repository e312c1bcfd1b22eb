import assert from 'node:assert/strict';
import net from 'node:net';
import { MessageChannel } from 'node:worker_threads';
import { scheduleFlush } from '../../../lib/util/flush-timing';
import { PortSocket } from '../../../lib/util/port-socket';

/** Order of a flush scheduled in a callback against a check-phase task queued before it. */
async function flushOrder(socket: net.Socket): Promise<string[]> {
  const order: string[] = [];
  await new Promise<void>((resolve) => {
    // inside an I/O-like callback: a check-phase task is already waiting when the flush is asked for
    setTimeout(() => {
      setImmediate(() => order.push('check phase'));
      scheduleFlush(socket, () => order.push('flush'));
      setImmediate(resolve);
    }, 0);
  });
  return order;
}

describe('scheduleFlush (when batched control frames leave)', () => {
  it('in-process link: at the end of the callback, before the check phase', async () => {
    const { port1, port2 } = new MessageChannel();
    const socket = new PortSocket(port1);
    try {
      assert.deepEqual(await flushOrder(socket), ['flush', 'check phase']);
    } finally {
      socket.destroy();
      port2.close();
    }
  });

  it('kernel socket: in the check phase, after the callbacks of the turn', async () => {
    const socket = new net.Socket();
    assert.deepEqual(await flushOrder(socket), ['check phase', 'flush']);
  });
});
