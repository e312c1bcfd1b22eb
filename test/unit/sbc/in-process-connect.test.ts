import assert from 'node:assert/strict';
import net from 'node:net';
import { MessageChannel } from 'node:worker_threads';
import { connectInProcess } from '../../../lib/sbc/in-process-connect';
import { PortSocket } from '../../../lib/util/port-socket';

function socket(): PortSocket {
  return new PortSocket(new MessageChannel().port1);
}

describe('connectInProcess', () => {
  const tcpConnect = Reflect.get(net, 'connect') as unknown;

  it('hands the socket to the net.connect call made inside, then restores net.connect', async () => {
    const s = socket();
    let got: unknown;
    const used = connectInProcess(s, () => {
      got = net.connect({ host: '127.0.0.1', port: 9 });
    });
    assert.equal(used, true);
    assert.equal(got, s);
    assert.equal(Reflect.get(net, 'connect'), tcpConnect);
    await new Promise<void>((resolve) => s.once('connect', resolve));
    s.destroy();
  });

  it('restores net.connect when the connect call throws, and refuses a second socket', () => {
    assert.throws(() =>
      connectInProcess(socket(), () => {
        net.connect({ host: '127.0.0.1', port: 9 });
        net.connect({ host: '127.0.0.1', port: 9 });
      }),
    );
    assert.equal(Reflect.get(net, 'connect'), tcpConnect);
  });

  it('reports false and drops the socket when nothing asked for it (srf connected its own way)', () => {
    const s = socket();
    assert.equal(
      connectInProcess(s, () => undefined),
      false,
    );
    assert.equal(s.destroyed, true);
  });
});
