/**
 * QueueProbe and TransportManager.queueDelayMs on real loopback sockets: a probe datagram waits
 * in the listener's receive queue while the event loop is blocked, and that wait is what is
 * reported; ordinary datagrams are not claimed; a lost probe is reported by its age and replaced.
 */
import assert from 'node:assert/strict';
import { createSocket, type Socket } from 'node:dgram';
import { QueueProbe, probeTarget } from '../../../../lib/sip/transport/queue-probe';
import { TransportManager } from '../../../../lib/sip/transport';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const busy = (ms: number): void => {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    // the event loop cannot read the socket meanwhile
  }
};

async function receiver(): Promise<{ socket: Socket; port: number }> {
  const socket = createSocket('udp4');
  await new Promise<void>((r) => socket.bind(0, '127.0.0.1', r));
  return { socket, port: socket.address().port };
}

async function until(cond: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !cond(); i++) await sleep(5);
  assert.ok(cond(), 'condition not met in time');
}

describe('QueueProbe', () => {
  it('reports how long its datagram waited in the receive queue', async () => {
    const rx = await receiver();
    const errors: Error[] = [];
    const probe = new QueueProbe(
      4,
      { address: '127.0.0.1', port: rx.port },
      () => performance.now(),
      (e) => {
        errors.push(e);
      },
    );
    let claimed = 0;
    rx.socket.on('message', (data, rinfo) => {
      if (probe.claim(data, rinfo.port)) claimed++;
    });
    await sleep(20); // the probe socket binds
    assert.equal(probe.window(), 0, 'nothing measured yet; the first probe goes out');
    busy(120); // the probe sits in the kernel queue meanwhile
    await until(() => claimed === 1);
    const delay = probe.window();
    assert.ok(delay >= 100, `queue delay ${delay} ms`);
    await until(() => claimed === 2);
    assert.ok(probe.window() < 100, 'an idle loop reads it at once');
    probe.close();
    rx.socket.close();
    assert.deepEqual(errors, []);
  });

  it('claims only its own token from its own port', async () => {
    const rx = await receiver();
    const probe = new QueueProbe(
      4,
      { address: '127.0.0.1', port: rx.port },
      () => 0,
      () => undefined,
    );
    await sleep(20);
    const seen: boolean[] = [];
    rx.socket.on('message', (data, rinfo) => {
      seen.push(probe.claim(data, rinfo.port));
    });
    const other = createSocket('udp4');
    other.send(Buffer.from('OPTIONS sip:x SIP/2.0\r\n\r\n'), rx.port, '127.0.0.1');
    await until(() => seen.length === 1);
    probe.window(); // sends the probe
    await until(() => seen.length === 2);
    assert.deepEqual(seen, [false, true]);
    other.close();
    probe.close();
    rx.socket.close();
  });

  it('reports a lost probe by its age, then replaces it', async () => {
    let now = 0;
    const rx = await receiver(); // never claims: the probe is "lost"
    const probe = new QueueProbe(
      4,
      { address: '127.0.0.1', port: rx.port },
      () => now,
      () => undefined,
    );
    await sleep(20);
    probe.window();
    now = 700;
    assert.equal(probe.window(), 700);
    now = 2500;
    assert.equal(probe.window(), 2500, 'reported once more, then replaced');
    now = 2600;
    assert.equal(probe.window(), 100, 'the replacement’s age');
    probe.close();
    rx.socket.close();
  });

  it('probes a wildcard listener over loopback', () => {
    assert.equal(probeTarget(4, '0.0.0.0'), '127.0.0.1');
    assert.equal(probeTarget(6, '::'), '::1');
    assert.equal(probeTarget(4, '192.0.2.7'), '192.0.2.7');
  });
});

describe('TransportManager.queueDelayMs', () => {
  it('measures the UDP listener’s receive queue, and SIP still flows', async () => {
    const tm = new TransportManager({ listeners: [{ transport: 'udp', address: '127.0.0.1', port: 0 }] });
    const sip: string[] = [];
    tm.on('message', (buf) => sip.push(buf.toString('latin1', 0, 7)));
    await tm.start();
    assert.equal(tm.queueDelayMs(), 0, 'starts the probe');
    await sleep(20);
    tm.queueDelayMs(); // the first probe after the bind
    busy(120);
    await sleep(20);
    assert.ok(tm.queueDelayMs() >= 100);
    const port = tm.listeners()[0]?.port ?? 0;
    const s = createSocket('udp4');
    s.send(Buffer.from('OPTIONS sip:a@127.0.0.1 SIP/2.0\r\nContent-Length: 0\r\n\r\n'), port, '127.0.0.1');
    await until(() => sip.length === 1);
    assert.deepEqual(sip, ['OPTIONS'], 'no probe reaches the SIP layer');
    s.close();
    await tm.close();
    assert.equal(tm.queueDelayMs(), 0, 'closed: no probe');
  });
});
