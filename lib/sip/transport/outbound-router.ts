/**
 * Chooses how a message leaves (RFC 3261 §18.1.1 requests, §18.2.2 responses): UDP from a
 * listener socket of the right family; TCP/TLS over the given connection, else an existing one
 * to the same address/port/transport (or RFC 5923 alias), else a new connection (one connect
 * per destination at a time). WebSocket is server side only: with no open connection to the
 * target, sending fails with TRANSPORT_NO_CONNECTION.
 */
import type { Socket } from 'node:net';
import type { Clock } from '../../util/clock';
import { addressFamily, flowKey, isWildcard, normaliseAddress } from './address';
import type { Connection } from './connection';
import type { ConnectionTable } from './connection-table';
import { TransportError } from './errors';
import type { TransportLimits } from './limits';
import type { Listener } from './listener';
import { connectStream } from './stream-connector';
import type { TlsMaterial } from './tls-material';
import type { Flow, SendTarget, StreamKind } from './types';
import { isStreamKind } from './types';
import { UdpListener } from './udp-listener';

export interface OutboundDeps {
  table: ConnectionTable;
  limits: TransportLimits;
  clock: Clock;
  listeners(): readonly Listener[];
  clientTls(): TlsMaterial | undefined;
  running(): boolean;
  adoptOutbound(socket: Socket, transport: StreamKind, listenerId: string): Connection;
}

export class OutboundRouter {
  private readonly pending = new Map<string, Promise<Connection>>();

  constructor(private readonly deps: OutboundDeps) {}

  async send(target: SendTarget, data: Buffer): Promise<Flow> {
    if (!this.deps.running())
      throw new TransportError('TRANSPORT_SHUT_DOWN', 'transport manager is not running');
    if (target.transport === 'udp') return this.udpListener(target).send(data, target.address, target.port);
    const existing = this.existing(target);
    const connection = existing ?? (await this.connect(target));
    await connection.send(data);
    return { ...connection.flow };
  }

  /** Settles once every connect attempt in flight has finished (used by close()). */
  async settle(): Promise<void> {
    await Promise.allSettled([...this.pending.values()]);
  }

  private existing(target: SendTarget): Connection | undefined {
    if (target.connectionId !== undefined) {
      const c = this.deps.table.get(target.connectionId);
      if (c !== undefined && !c.closed && c.flow.transport === target.transport) return c;
    }
    return this.deps.table.find(target.transport, target.address, target.port);
  }

  private connect(target: SendTarget): Promise<Connection> {
    const transport = target.transport;
    if (!isStreamKind(transport)) {
      return Promise.reject(
        new TransportError(
          'TRANSPORT_NO_CONNECTION',
          `no open ${transport} connection to ${target.address}:${target.port} (WebSocket is server side only)`,
        ),
      );
    }
    const key = flowKey(transport, target.address, target.port);
    let attempt = this.pending.get(key);
    if (attempt === undefined) {
      attempt = this.open(transport, target).finally(() => this.pending.delete(key));
      this.pending.set(key, attempt);
    }
    return attempt;
  }

  private async open(transport: StreamKind, target: SendTarget): Promise<Connection> {
    const admission = this.deps.table.admit('outbound', target.address);
    if (!admission.ok) {
      throw new TransportError(
        'TRANSPORT_CONNECTION_LIMIT',
        `connection limit reached (${admission.reason})`,
      );
    }
    const listener = this.pickListener(transport, target.address);
    const info = listener?.info();
    const socket = await connectStream({
      transport,
      address: normaliseAddress(target.address),
      port: target.port,
      localAddress: info === undefined || isWildcard(info.address) ? undefined : info.address,
      serverName: target.serverName,
      tls: transport === 'tls' ? this.deps.clientTls() : undefined,
      timeoutMs: this.deps.limits.connectTimeoutMs,
      clock: this.deps.clock,
    });
    if (!this.deps.running()) {
      socket.destroy();
      throw new TransportError('TRANSPORT_SHUT_DOWN', 'transport manager closed while connecting');
    }
    const connection = this.deps.adoptOutbound(socket, transport, info?.id ?? `outbound-${transport}`);
    // Keep the name the caller used (e.g. a host name) pointing at this connection too.
    this.deps.table.addAlias(connection.id, target.address, target.port);
    return connection;
  }

  private pickListener(transport: StreamKind, address: string): Listener | undefined {
    const family = addressFamily(address);
    const same = this.deps.listeners().filter((l) => l.transport === transport);
    return same.find((l) => addressFamily(l.info().address) === family) ?? same[0];
  }

  private udpListener(target: SendTarget): UdpListener {
    const udp = this.deps.listeners().filter((l): l is UdpListener => l instanceof UdpListener);
    const chosen =
      target.listenerId === undefined
        ? (udp.find((l) => l.reaches(target.address)) ??
          (addressFamily(target.address) === 0 ? udp[0] : undefined))
        : udp.find((l) => l.id === target.listenerId);
    if (chosen === undefined) {
      throw new TransportError(
        'TRANSPORT_NO_LISTENER',
        `no UDP listener can reach ${target.address}:${target.port}`,
      );
    }
    return chosen;
  }
}
