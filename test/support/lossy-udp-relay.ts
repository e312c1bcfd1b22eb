/**
 * A UDP relay for tests: client ⇄ relay ⇄ server, on loopback. It drops and delays datagrams
 * by rule (the n-th match of a predicate in one direction, or a seeded probability) and logs
 * every datagram's first line, so tests can assert that retransmissions happened.
 *
 * The relay listens on one socket for the client and talks to the server from a second socket.
 * The client address is learned from the first datagram (and re-learned from each later one, so
 * the most recent sender gets the replies); datagrams from the server before any client has
 * spoken are counted as dropped with reason 'no-client'.
 */
import dgram from 'node:dgram';
import { describeSip, peekSip, type SipPeek } from './sip-peek';

export type RelayDirection = 'toServer' | 'toClient';

export interface RelayPacket extends SipPeek {
  direction: RelayDirection;
  /** 1-based index of this datagram in its direction. */
  index: number;
  bytes: number;
}

export interface DropRule {
  direction?: RelayDirection;
  match?: (p: RelayPacket) => boolean;
  /** Drop these occurrences (1-based) among the datagrams this rule matches. */
  nth?: readonly number[];
  /** Otherwise drop each match with this probability (seeded, deterministic per rule). */
  probability?: number;
}

export interface DelayRule {
  direction?: RelayDirection;
  match?: (p: RelayPacket) => boolean;
  delayMs: number;
}

export interface LossyUdpRelayOptions {
  server: { host: string; port: number };
  /** Where the client-facing socket binds (default 127.0.0.1, port 0). */
  listen?: { host?: string; port?: number };
  drop?: readonly DropRule[];
  delay?: readonly DelayRule[];
  /** PRNG seed for probability rules. */
  seed?: number;
  /** Log entries kept (default 10 000); counters keep counting past it. */
  maxLog?: number;
}

export type RelayAction = 'forwarded' | 'dropped' | 'delayed';

export interface RelayLogEntry {
  /** Milliseconds since the relay started. */
  t: number;
  direction: RelayDirection;
  /** `INVITE`, `200 INVITE`, … */
  summary: string;
  method?: string;
  status?: number;
  cseqMethod?: string;
  callId?: string;
  action: RelayAction;
  reason?: string;
}

export interface DirectionCounters {
  received: number;
  forwarded: number;
  dropped: number;
  delayed: number;
}

export interface LogFilter {
  direction?: RelayDirection;
  method?: string;
  status?: number;
  cseqMethod?: string;
  action?: RelayAction;
}

export interface LossyUdpRelay {
  /** Where the client should send. */
  readonly host: string;
  readonly port: number;
  readonly counters: Readonly<Record<RelayDirection, DirectionCounters>>;
  readonly log: readonly RelayLogEntry[];
  clientAddress(): { host: string; port: number } | undefined;
  /** How many log entries match every given field. */
  count(filter: LogFilter): number;
  /** One line per entry: `+12ms toServer INVITE forwarded`. */
  formatLog(): string;
  close(): Promise<void>;
}

/** mulberry32: a tiny seeded PRNG, good enough for deterministic loss patterns. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface DropState {
  rule: DropRule;
  matches: number;
  random: () => number;
}

const applies = (r: { direction?: RelayDirection; match?: (p: RelayPacket) => boolean }, p: RelayPacket) =>
  (r.direction === undefined || r.direction === p.direction) && (r.match?.(p) ?? true);

function bindSocket(host: string, port: number): Promise<dgram.Socket> {
  const socket = dgram.createSocket(host.includes(':') ? 'udp6' : 'udp4');
  return new Promise((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(port, host, () => {
      socket.off('error', reject);
      resolve(socket);
    });
  });
}

export async function startLossyUdpRelay(opts: LossyUdpRelayOptions): Promise<LossyUdpRelay> {
  const host = opts.listen?.host ?? '127.0.0.1';
  const clientSide = await bindSocket(host, opts.listen?.port ?? 0);
  const serverSide = await bindSocket(opts.server.host.includes(':') ? '::1' : '127.0.0.1', 0);
  const started = performance.now();
  const maxLog = opts.maxLog ?? 10_000;
  const seed = opts.seed ?? 1;
  const drops: DropState[] = (opts.drop ?? []).map((rule, i) => ({
    rule,
    matches: 0,
    random: prng(seed + i * 7919),
  }));
  const counters: Record<RelayDirection, DirectionCounters> = {
    toServer: { received: 0, forwarded: 0, dropped: 0, delayed: 0 },
    toClient: { received: 0, forwarded: 0, dropped: 0, delayed: 0 },
  };
  const log: RelayLogEntry[] = [];
  const timers = new Set<NodeJS.Timeout>();
  let client: { host: string; port: number } | undefined;
  let closed = false;

  const shouldDrop = (p: RelayPacket): boolean => {
    let drop = false;
    for (const d of drops) {
      if (!applies(d.rule, p)) continue;
      d.matches++;
      const byIndex = d.rule.nth?.includes(d.matches) ?? false;
      const byChance = d.rule.probability !== undefined && d.random() < d.rule.probability;
      drop ||= byIndex || byChance;
    }
    return drop;
  };

  const record = (p: RelayPacket, action: RelayAction, reason?: string): void => {
    counters[p.direction][action]++;
    if (log.length >= maxLog) return;
    const { direction, method, status, cseqMethod, callId } = p;
    const t = Math.round((performance.now() - started) * 10) / 10;
    log.push({ t, direction, summary: describeSip(p), method, status, cseqMethod, callId, action, reason });
  };

  const handle = (direction: RelayDirection, msg: Buffer, from: dgram.RemoteInfo): void => {
    if (closed) return;
    if (direction === 'toServer') client = { host: from.address, port: from.port };
    const c = counters[direction];
    c.received++;
    const p: RelayPacket = { ...peekSip(msg), direction, index: c.received, bytes: msg.length };
    const target = direction === 'toServer' ? opts.server : client;
    if (target === undefined) {
      record(p, 'dropped', 'no-client');
      return;
    }
    if (shouldDrop(p)) {
      record(p, 'dropped', 'rule');
      return;
    }
    const out = direction === 'toServer' ? serverSide : clientSide;
    const send = (): void => {
      if (!closed) out.send(msg, target.port, target.host);
    };
    const delayMs = (opts.delay ?? []).find((r) => applies(r, p))?.delayMs ?? 0;
    if (delayMs <= 0) {
      record(p, 'forwarded');
      send();
      return;
    }
    record(p, 'delayed', `${delayMs}ms`);
    const timer = setTimeout(() => {
      timers.delete(timer);
      counters[direction].forwarded++;
      send();
    }, delayMs);
    timers.add(timer);
  };

  clientSide.on('message', (m, r) => {
    handle('toServer', m, r);
  });
  serverSide.on('message', (m, r) => {
    handle('toClient', m, r);
  });
  // Ignore ICMP-induced errors (e.g. the server is not up yet); the datagram is simply lost.
  const onError = (e: Error): void => {
    const t = Math.round((performance.now() - started) * 10) / 10;
    if (log.length < maxLog) {
      log.push({ t, direction: 'toServer', summary: e.message, action: 'dropped', reason: 'socket-error' });
    }
  };
  clientSide.on('error', onError);
  serverSide.on('error', onError);

  const { port } = clientSide.address();
  return {
    host,
    port,
    counters,
    log,
    clientAddress: () => client,
    count: (f) =>
      log.filter(
        (e) =>
          (f.direction === undefined || e.direction === f.direction) &&
          (f.method === undefined || e.method === f.method) &&
          (f.status === undefined || e.status === f.status) &&
          (f.cseqMethod === undefined || e.cseqMethod === f.cseqMethod) &&
          (f.action === undefined || e.action === f.action),
      ).length,
    formatLog: () =>
      log
        .map((e) => `+${e.t}ms ${e.direction} ${e.summary} ${e.action}${e.reason ? ` (${e.reason})` : ''}`)
        .join('\n'),
    close: async () => {
      if (closed) return;
      closed = true;
      for (const t of timers) clearTimeout(t);
      timers.clear();
      await Promise.all(
        [clientSide, serverSide].map(
          (s) =>
            new Promise<void>((resolve) =>
              s.close(() => {
                resolve();
              }),
            ),
        ),
      );
    },
  };
}
