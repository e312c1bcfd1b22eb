/** Free loopback ports for tests (bound to port 0 by the kernel, then released). */
import dgram from 'node:dgram';
import net from 'node:net';

export function freeTcpPort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, host, () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => {
        resolve(port);
      });
    });
  });
}

export function freeUdpPort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = dgram.createSocket('udp4');
    socket.once('error', reject);
    socket.bind(0, host, () => {
      const { port } = socket.address();
      socket.close(() => {
        resolve(port);
      });
    });
  });
}

/** A port free for both TCP and UDP (SIP listens on both). */
export async function freeSipPort(host = '127.0.0.1'): Promise<number> {
  for (let i = 0; i < 20; i++) {
    const port = await freeTcpPort(host);
    try {
      await new Promise<void>((resolve, reject) => {
        const s = dgram.createSocket('udp4');
        s.once('error', reject);
        s.bind(port, host, () => {
          s.close(() => {
            resolve();
          });
        });
      });
      return port;
    } catch {
      continue;
    }
  }
  throw new Error('no free SIP port');
}

let nextMediaBase = 20000 + (process.pid % 40) * 200;
/** A small RTP port range of our own for a spawned rtpengine, distinct per call in this run. */
export function mediaPortRange(size = 100): { portMin: number; portMax: number } {
  const portMin = nextMediaBase;
  nextMediaBase += size;
  if (nextMediaBase > 29900) nextMediaBase = 20000;
  return { portMin, portMax: portMin + size - 1 };
}

/**
 * A free UDP port in [min, max], probed from a random start. For rtpengine control (ng) ports:
 * rtpengine binds its media ports, and its ng port, with SO_REUSEADDR, so an ng port inside a
 * media range on the same address can be bound again as a media port — by that engine or another
 * — and the commands sent to it vanish (bench/sbc-cps lost one of its eight engines that way).
 * Kernel-chosen ports (32768–60999 here) overlap the benches' media ranges; this band need not.
 */
export async function freeUdpPortBetween(min: number, max: number, host = '127.0.0.1'): Promise<number> {
  const span = max - min + 1;
  const start = Math.floor(Math.random() * span);
  for (let i = 0; i < Math.min(span, 200); i++) {
    const port = min + ((start + i) % span);
    const free = await new Promise<boolean>((resolve) => {
      const s = dgram.createSocket('udp4');
      s.once('error', () => {
        resolve(false);
      });
      s.bind(port, host, () =>
        s.close(() => {
          resolve(true);
        }),
      );
    });
    if (free) return port;
  }
  throw new Error(`no free UDP port in ${min}-${max}`);
}
