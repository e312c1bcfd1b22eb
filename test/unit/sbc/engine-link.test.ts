/**
 * The SBC's srf link to its engine, against a fake engine that reads the control frames: srf's
 * writes of one event-loop turn reach the engine in one write, also after a reconnection.
 */
import { strict as assert } from 'node:assert';
import net from 'node:net';
import { connectToEngine } from '../../../lib/sbc/engine-link';
import { silentLog } from '../../../lib/util/logger';

interface FakeEngine {
  port: number;
  /** Each accepted connection's reads, as received. */
  reads: string[][];
  dropConnections(): void;
  close(): void;
}

async function fakeEngine(): Promise<FakeEngine> {
  const reads: string[][] = [];
  const sockets: net.Socket[] = [];
  const server = net.createServer((s) => {
    const mine: string[] = [];
    reads.push(mine);
    sockets.push(s);
    s.setEncoding('utf8');
    s.on('data', (d: string) => mine.push(d));
    s.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    reads,
    dropConnections: () => {
      for (const s of sockets.splice(0)) s.destroy();
    },
    close: () => {
      for (const s of sockets) s.destroy();
      server.close();
    },
  };
}

const settle = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * The socket srf's wire protocol uses now (drachtio-srf 5 internals, as engine-link reaches them),
 * and how many writes reached each socket's stream implementation (`_write`: one per syscall).
 */
function watchControlSocket(srf: object): { socket: () => net.Socket | undefined; writes: number[] } {
  const wp = (srf as { _app?: { client?: { wp?: { on(e: string, f: (s: net.Socket) => void): void } } } })
    ._app?.client?.wp;
  let socket: net.Socket | undefined;
  const writes: number[] = [];
  wp?.on('connect', (s) => {
    socket = s;
    const index = writes.push(0) - 1;
    const streamWrite = (s as unknown as { _write: (...a: unknown[]) => void })._write.bind(s);
    (s as unknown as { _write: (...a: unknown[]) => void })._write = (...a: unknown[]) => {
      writes[index] = (writes[index] ?? 0) + 1;
      streamWrite(...a);
    };
  });
  return { socket: () => socket, writes };
}

describe('engine link (srf control connection)', () => {
  it('joins the frames srf writes in one turn into one write, on every connection', async () => {
    const engine = await fakeEngine();
    const link = connectToEngine({
      host: '127.0.0.1',
      port: engine.port,
      secret: 's',
      log: silentLog,
      onStatus: () => undefined,
    });
    const control = watchControlSocket(link.srf);
    try {
      for (let i = 0; i < 50 && engine.reads.length === 0; i++) await settle(10);
      await settle(50); // srf's authenticate frame
      for (const round of [1, 2]) {
        const socket = control.socket();
        assert.ok(socket, 'srf announced its control socket');
        const before = control.writes[round - 1] ?? 0;
        for (let i = 0; i < 5; i++) socket.write(`9#frame-${round}-${i}`);
        await settle(100);
        assert.equal(
          (control.writes[round - 1] ?? 0) - before,
          1,
          `round ${round}: one write for five frames`,
        );
        assert.ok(
          engine.reads
            .at(-1)
            ?.join('')
            .endsWith([0, 1, 2, 3, 4].map((i) => `9#frame-${round}-${i}`).join('')),
          `round ${round}: the frames arrived in order`,
        );
        if (round === 1) {
          // srf reconnects (150 ms back-off); the new socket is joined the same way
          engine.dropConnections();
          for (let i = 0; i < 100 && engine.reads.length < 2; i++) await settle(20);
          assert.equal(engine.reads.length, 2, 'srf reconnected');
          await settle(100);
        }
      }
    } finally {
      link.close();
      engine.close();
    }
  });
});
