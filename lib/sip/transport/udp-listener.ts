/**
 * SIP over UDP (RFC 3261 §18.1.1, §18.2.1), IPv4 or IPv6 by the bound address. Each datagram is
 * one message; CRLF keepalives are swallowed and STUN Binding requests answered (RFC 5626 §4.4.2,
 * §8.4) rather than passed up as SIP.
 */
import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import { addressFamily, normaliseAddress } from './address';
import { classifyDatagram } from './datagram-kind';
import { TransportError } from './errors';
import { listenerInfo, type Listener, type ListenerContext } from './listener';
import { QueueProbe, probeTarget } from './queue-probe';
import { isStunBindingRequest, stunBindingResponse } from './stun';
import type { Flow, ListenerInfo, PlainListenerConfig } from './types';

/** Largest UDP payload over IPv4 (65535 - 8 UDP - 20 IP). */
const MAX_DATAGRAM = 65_507;

/** Remote peers whose Flow objects are shared at once (see `flows`). */
const MAX_SHARED_FLOWS = 4096;

export class UdpListener implements Listener {
  readonly transport = 'udp' as const;
  readonly family: 4 | 6;
  private readonly socket: Socket;
  private bound: ListenerInfo | undefined;
  private local: { address: string; port: number } | undefined;
  /**
   * One Flow per remote address and port, shared by every message, transaction and dialog of that
   * peer (a trunk sends all its calls from one): ≈ 80 bytes per held dialog otherwise. Flows are
   * immutable; the table is bounded (cleared when full: a new object for the same peer is fine).
   */
  private readonly flows = new Map<string, Flow>();
  private probe: QueueProbe | undefined;

  constructor(
    readonly id: string,
    private readonly config: PlainListenerConfig,
    private readonly ctx: ListenerContext,
  ) {
    this.family = addressFamily(config.address) === 6 ? 6 : 4;
    this.socket = createSocket({ type: this.family === 6 ? 'udp6' : 'udp4' });
    this.socket.on('message', (data, rinfo) => {
      this.onDatagram(data, rinfo);
    });
    this.socket.on('error', (error) => {
      ctx.error(new TransportError('TRANSPORT_SOCKET', `listener ${id}: ${error.message}`, { cause: error }));
    });
  }

  info(): ListenerInfo {
    return this.bound ?? listenerInfo(this.config, this.id, this.config.port);
  }

  /** Dual-stack wildcard v6 sockets also reach IPv4 peers. */
  reaches(address: string): boolean {
    const family = addressFamily(address);
    return family === this.family || (family === 4 && normaliseAddress(this.config.address) === '::');
  }

  start(): Promise<void> {
    return new Promise((resolve, reject) => {
      const onError = (error: Error): void => {
        reject(
          new TransportError('TRANSPORT_LISTEN_FAILED', `listener ${this.id}: ${error.message}`, {
            cause: error,
          }),
        );
      };
      this.socket.once('error', onError);
      this.socket.bind({ address: this.config.address, port: this.config.port, exclusive: true }, () => {
        this.socket.off('error', onError);
        this.applyReceiveBuffer();
        this.bound = listenerInfo(this.config, this.id, this.socket.address().port);
        resolve();
      });
    });
  }

  receiveBufferSize(): number {
    return this.socket.getRecvBufferSize();
  }

  /** Receive-queue delay (ms) since the previous call (queue-probe.ts; the first call starts it). */
  queueDelayMs(): number {
    if (this.bound === undefined) return 0;
    this.probe ??= new QueueProbe(
      this.family,
      { address: probeTarget(this.family, this.config.address), port: this.bound.port },
      () => this.ctx.clock.now(),
      (e) => {
        this.ctx.error(
          new TransportError('TRANSPORT_SOCKET', `listener ${this.id}: queue probe: ${e.message}`),
        );
      },
    );
    return this.probe.window();
  }

  private applyReceiveBuffer(): void {
    const bytes = this.ctx.limits.udpReceiveBufferBytes;
    if (bytes <= 0) return;
    try {
      this.socket.setRecvBufferSize(bytes);
    } catch (e) {
      this.ctx.error(
        new TransportError(
          'TRANSPORT_SOCKET_OPTION',
          `listener ${this.id}: SO_RCVBUF ${bytes}: ${(e as Error).message}`,
        ),
      );
    }
  }

  send(data: Buffer, address: string, port: number): Promise<Flow> {
    return new Promise((resolve, reject) => {
      if (data.length > MAX_DATAGRAM) {
        reject(
          new TransportError('TRANSPORT_MESSAGE_TOO_LARGE', `${data.length} bytes do not fit a UDP datagram`),
        );
        return;
      }
      const to = normaliseAddress(address);
      const dest = this.family === 6 && addressFamily(to) === 4 ? `::ffff:${to}` : to;
      this.socket.send(data, port, dest, (error) => {
        if (error) {
          reject(
            new TransportError('TRANSPORT_SEND_FAILED', `udp send to ${to}:${port}: ${error.message}`, {
              cause: error,
            }),
          );
        } else {
          resolve(this.flowFor(to, port));
        }
      });
    });
  }

  close(): Promise<void> {
    this.probe?.close();
    return new Promise((resolve) => {
      try {
        this.socket.close(() => {
          resolve();
        });
      } catch (error) {
        // ERR_SOCKET_DGRAM_NOT_RUNNING: never bound or already closed; nothing left to release.
        this.ctx.error(
          new TransportError('TRANSPORT_SOCKET', `listener ${this.id}: close: ${String(error)}`),
        );
        resolve();
      }
    });
  }

  private flowFor(remoteAddress: string, remotePort: number): Flow {
    // The bound address never changes: ask the socket once, not per datagram.
    this.local ??= {
      address: normaliseAddress(this.socket.address().address),
      port: this.socket.address().port,
    };
    const key = `${remoteAddress}|${remotePort}`;
    const known = this.flows.get(key);
    if (known !== undefined) return known;
    if (this.flows.size >= MAX_SHARED_FLOWS) this.flows.clear();
    const flow: Flow = {
      transport: 'udp',
      localAddress: this.local.address,
      localPort: this.local.port,
      remoteAddress: normaliseAddress(remoteAddress),
      remotePort,
      connectionId: undefined,
      listenerId: this.id,
    };
    this.flows.set(key, flow);
    return flow;
  }

  private onDatagram(data: Buffer, rinfo: RemoteInfo): void {
    if (this.probe?.claim(data, rinfo.port) === true) return;
    const kind = classifyDatagram(data);
    switch (kind) {
      case 'sip':
        this.ctx.deliver(data, this.flowFor(rinfo.address, rinfo.port));
        return;
      case 'keepalive':
        return;
      case 'stun':
        this.answerStun(data, rinfo);
        return;
      case 'garbage':
        this.ctx.error(
          new TransportError(
            'TRANSPORT_UDP_GARBAGE',
            `listener ${this.id}: non-SIP datagram from ${rinfo.address}:${rinfo.port}`,
          ),
        );
        return;
    }
  }

  private answerStun(data: Buffer, rinfo: RemoteInfo): void {
    if (!isStunBindingRequest(data)) return;
    const response = stunBindingResponse(data, normaliseAddress(rinfo.address), rinfo.port);
    if (response === undefined) return;
    this.socket.send(response, rinfo.port, rinfo.address, (error) => {
      if (error)
        this.ctx.error(
          new TransportError('TRANSPORT_SOCKET', `stun reply: ${error.message}`, { cause: error }),
        );
    });
  }
}
