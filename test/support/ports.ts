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

/** Whether a UDP socket can bind `port` on `host` now (bound, then released). */
function udpPortFree(port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const s = dgram.createSocket('udp4');
    s.once('error', () => {
      resolve(false);
    });
    s.bind(port, host, () => {
      s.close(() => {
        resolve(true);
      });
    });
  });
}

/** A port free for both TCP and UDP (SIP listens on both). */
export async function freeSipPort(host = '127.0.0.1'): Promise<number> {
  for (let i = 0; i < 20; i++) {
    const port = await freeTcpPort(host);
    if (await udpPortFree(port, host)) return port;
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
 * A free UDP port in [min, max], probed from a random start: for ports that must stay out of the
 * kernel's ephemeral range, such as the benches' rtpengine ng ports (bench/rtpengine-fleet.ts).
 */
export async function freeUdpPortBetween(min: number, max: number, host = '127.0.0.1'): Promise<number> {
  const span = max - min + 1;
  const start = Math.floor(Math.random() * span);
  for (let i = 0; i < Math.min(span, 200); i++) {
    const port = min + ((start + i) % span);
    if (await udpPortFree(port, host)) return port;
  }
  throw new Error(`no free UDP port in ${min}-${max}`);
}
