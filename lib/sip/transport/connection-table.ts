/**
 * Open connections, looked up by id, by remote transport/address/port (RFC 3261 §18.2.2: send
 * responses back over the connection the request came on), and by RFC 5923 alias. Also the
 * admission policy: a cap on connections in total and on inbound connections per source IP.
 */
import { flowKey, normaliseAddress } from './address';
import type { Connection } from './connection';
import type { TransportKind } from './types';

export type Admission = { ok: true } | { ok: false; reason: 'per-source-limit' | 'total-limit' };

export class ConnectionTable {
  private readonly byId = new Map<string, Connection>();
  private readonly byKey = new Map<string, Connection>();
  private readonly aliasesOf = new Map<string, Set<string>>();
  private readonly inboundPerSource = new Map<string, number>();

  constructor(private readonly caps: { maxConnections: number; maxConnectionsPerSource: number }) {}

  get size(): number {
    return this.byId.size;
  }

  admit(direction: 'inbound' | 'outbound', remoteAddress: string): Admission {
    if (this.byId.size >= this.caps.maxConnections) return { ok: false, reason: 'total-limit' };
    if (direction === 'inbound') {
      const count = this.inboundPerSource.get(normaliseAddress(remoteAddress)) ?? 0;
      if (count >= this.caps.maxConnectionsPerSource) return { ok: false, reason: 'per-source-limit' };
    }
    return { ok: true };
  }

  add(c: Connection): void {
    this.byId.set(c.id, c);
    // Newest wins: a peer that reconnects from the same port replaces a half-dead entry.
    this.byKey.set(flowKey(c.flow.transport, c.flow.remoteAddress, c.flow.remotePort), c);
    if (c.direction === 'inbound') {
      const source = normaliseAddress(c.flow.remoteAddress);
      this.inboundPerSource.set(source, (this.inboundPerSource.get(source) ?? 0) + 1);
    }
  }

  remove(c: Connection): void {
    if (this.byId.get(c.id) !== c) return;
    this.byId.delete(c.id);
    const key = flowKey(c.flow.transport, c.flow.remoteAddress, c.flow.remotePort);
    if (this.byKey.get(key) === c) this.byKey.delete(key);
    for (const alias of this.aliasesOf.get(c.id) ?? []) {
      if (this.byKey.get(alias) === c) this.byKey.delete(alias);
    }
    this.aliasesOf.delete(c.id);
    if (c.direction === 'inbound') {
      const source = normaliseAddress(c.flow.remoteAddress);
      const left = (this.inboundPerSource.get(source) ?? 1) - 1;
      if (left > 0) this.inboundPerSource.set(source, left);
      else this.inboundPerSource.delete(source);
    }
  }

  /** RFC 5923 §5: requests towards the Via sent-by host:port may reuse this connection. */
  addAlias(connectionId: string, host: string, port: number): boolean {
    const c = this.byId.get(connectionId);
    if (c === undefined || c.closed) return false;
    const key = flowKey(c.flow.transport, host, port);
    this.byKey.set(key, c);
    let set = this.aliasesOf.get(connectionId);
    if (set === undefined) {
      set = new Set();
      this.aliasesOf.set(connectionId, set);
    }
    set.add(key);
    return true;
  }

  get(id: string): Connection | undefined {
    return this.byId.get(id);
  }

  find(transport: TransportKind, address: string, port: number): Connection | undefined {
    const c = this.byKey.get(flowKey(transport, address, port));
    return c?.closed === false ? c : undefined;
  }

  all(): Connection[] {
    return [...this.byId.values()];
  }
}
