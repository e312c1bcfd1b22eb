/**
 * Receive-queue delay of a UDP listener, measured by a probe datagram sent to its own socket.
 *
 * Under UDP overload the backlog waits in the kernel's socket receive queue: the event loop turns
 * quickly (libuv reads a few dozen datagrams per turn), so event-loop delay and timers look fine
 * while requests sit there for seconds and are retransmitted by their senders (RFC 3261 §17.1.1.2
 * Timer A). A datagram we send ourselves joins the same FIFO queue: the time until we read it is
 * the queueing delay every request sees right now (the overload guard's signal, overload.ts).
 *
 * One probe is in flight at a time; `window()` reports the largest delay measured since the last
 * call, or the age of a probe not back yet (a queue seconds long shows as a rising age, not as
 * silence), then sends the next one. A probe not back after `LOST_MS` was dropped (a full receive
 * buffer drops datagrams): it is reported once more and replaced. Probes are recognised by a
 * random token and the probe socket's port before any SIP handling.
 */
import { randomBytes } from 'node:crypto';
import { createSocket, type Socket } from 'node:dgram';
import { isWildcard } from './address';

const MAGIC = Buffer.from('palisade-queue-probe:', 'latin1');
/** A probe this late is taken for lost (and replaced). */
const LOST_MS = 2000;

/** Where probes go: the listener's own address (loopback for a wildcard bind). */
export function probeTarget(family: 4 | 6, address: string): string {
  if (!isWildcard(address)) return address;
  return family === 6 ? '::1' : '127.0.0.1';
}

export class QueueProbe {
  private readonly socket: Socket;
  private readonly token = Buffer.concat([MAGIC, randomBytes(12)]);
  private sentAt: number | undefined;
  private measured = 0;
  private port: number | undefined;
  private closed = false;

  constructor(
    family: 4 | 6,
    private readonly target: { address: string; port: number },
    private readonly now: () => number,
    private readonly onError: (e: Error) => void,
  ) {
    this.socket = createSocket({ type: family === 6 ? 'udp6' : 'udp4' });
    this.socket.on('error', (e) => {
      this.onError(e);
    });
    // bound before the first probe: a probe is only recognised by this port
    this.socket.bind(0, () => {
      this.port = this.socket.address().port;
    });
    this.socket.unref();
  }

  /** The queue delay (ms) since the previous call; sends the next probe. */
  window(): number {
    const now = this.now();
    const waiting = this.sentAt === undefined ? 0 : now - this.sentAt;
    const delay = Math.max(this.measured, waiting);
    this.measured = 0;
    if (waiting >= LOST_MS) this.sentAt = undefined;
    if (this.sentAt === undefined && this.port !== undefined) this.send(now);
    return delay;
  }

  /** A datagram the listener received: true (and measured) when it is our probe. */
  claim(data: Buffer, remotePort: number): boolean {
    if (remotePort !== this.port || data.length !== this.token.length || !data.equals(this.token))
      return false;
    if (this.sentAt !== undefined) this.measured = Math.max(this.measured, this.now() - this.sentAt);
    this.sentAt = undefined;
    return true;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    try {
      this.socket.close();
    } catch (e) {
      // ERR_SOCKET_DGRAM_NOT_RUNNING: the first probe never bound it
      this.onError(e instanceof Error ? e : new Error(String(e)));
    }
  }

  private send(now: number): void {
    if (this.closed) return;
    this.sentAt = now;
    this.socket.send(this.token, this.target.port, this.target.address, (e) => {
      if (!e) return;
      this.sentAt = undefined;
      this.onError(e);
    });
  }
}
