/**
 * The in-process control link (ADR 0013): drachtio-srf, through the SBC's engine link, talks to
 * the real engine over a MessagePort instead of TCP, answers SIP through it, and falls back to
 * the TCP control port when the in-process connection goes away.
 */
import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import { MessageChannel } from 'node:worker_threads';
import { silentLog } from '../../../lib/util/logger';
import { PortSocket } from '../../../lib/util/port-socket';
import { startEngine, type Engine } from '../../../lib/engine/embedded-engine';
import { connectToEngine, type EngineLink } from '../../../lib/sbc/engine-link';
import { freeSipPort, freeTcpPort } from '../../support/ports';
import { eventually } from '../../support/http';

/** An OPTIONS to the engine's SIP port; resolves with the status line of the answer. */
async function options(sipPort: number): Promise<string> {
  const socket = dgram.createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const local = socket.address().port;
  const request = [
    `OPTIONS sip:ping@127.0.0.1:${sipPort} SIP/2.0`,
    `Via: SIP/2.0/UDP 127.0.0.1:${local};branch=z9hG4bK-${Date.now()}`,
    'Max-Forwards: 70',
    `From: <sip:probe@127.0.0.1:${local}>;tag=probe`,
    `To: <sip:ping@127.0.0.1:${sipPort}>`,
    `Call-ID: in-process-${Date.now()}@127.0.0.1`,
    'CSeq: 1 OPTIONS',
    'Content-Length: 0',
    '',
    '',
  ].join('\r\n');
  try {
    return await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(new Error('no answer to OPTIONS'));
      }, 5000);
      socket.on('message', (m) => {
        clearTimeout(timer);
        resolve(m.toString('utf8').split('\r\n')[0] ?? '');
      });
      socket.send(request, sipPort, '127.0.0.1');
    });
  } finally {
    socket.close();
  }
}

describe('in-process control link (real engine, real drachtio-srf)', function () {
  this.timeout(30_000);
  let engine: Engine;
  let sipPort: number;
  let link: EngineLink | undefined;

  beforeEach(async () => {
    sipPort = await freeSipPort();
    engine = await startEngine({
      control: { address: '127.0.0.1', port: 0, secret: 'cymru' },
      listeners: [{ transport: 'udp', address: '127.0.0.1', port: sipPort }],
      log: silentLog,
    });
  });

  afterEach(async () => {
    link?.close();
    link = undefined;
    await engine.close();
  });

  /** The engine accepts one end of a fresh channel; the link gets the other. */
  function channel(): { engineSide: PortSocket; appSide: PortSocket } {
    const { port1, port2 } = new MessageChannel();
    const engineSide = new PortSocket(port2, 'in-process app');
    engine.acceptAppConnection(engineSide);
    return { engineSide, appSide: new PortSocket(port1, 'in-process engine') };
  }

  it('authenticates and carries SIP without any TCP connection', async () => {
    const { appSide } = channel();
    const status: boolean[] = [];
    // nothing listens on this control port: only the in-process link can come up
    link = connectToEngine({
      host: '127.0.0.1',
      port: await freeTcpPort(),
      secret: 'cymru',
      inProcess: () => appSide,
      log: silentLog,
      onStatus: (up) => status.push(up),
    });
    const srf = link.srf;
    srf.use('options', (_req, res) => {
      res.send(200, 'Via In-Process', {});
    });
    await eventually(() => {
      assert.deepEqual(status, [true]);
    }, 10_000);
    assert.equal(await options(sipPort), 'SIP/2.0 200 Via In-Process');
  });

  it('reconnects over the TCP control port when the in-process connection goes away', async () => {
    const { engineSide, appSide } = channel();
    const status: boolean[] = [];
    link = connectToEngine({
      host: '127.0.0.1',
      port: engine.control.port,
      secret: 'cymru',
      inProcess: () => appSide,
      log: silentLog,
      onStatus: (up) => status.push(up),
    });
    link.srf.use('options', (_req, res) => {
      res.send(200);
    });
    await eventually(() => {
      assert.deepEqual(status, [true]);
    }, 10_000);
    engineSide.destroy();
    await eventually(() => {
      assert.deepEqual(status.slice(-2), [false, true]);
    }, 10_000);
    assert.equal(await options(sipPort), 'SIP/2.0 200 OK');
  });
});
