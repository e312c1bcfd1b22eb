/**
 * Per-leg media counters from an ng `query` reply (docs/ng_control_protocol.md, "query Message":
 * tags → medias → streams, each stream with `stats` {packets, bytes, errors} and `last packet`).
 * A stream's stats count what rtpengine received on that leg's local port, i.e. from that leg.
 * What a leg was sent is what its peer sent us (rtpengine 10.5 reports no egress counters).
 */

export interface Counters {
  packets: number;
  bytes: number;
}

export interface LegMediaStats {
  tag: string;
  /** RTP received from this leg. */
  fromLeg: Counters;
  /** RTP received from this leg's peer(s), i.e. relayed towards this leg. */
  toLeg: Counters;
  /** Packets rtpengine dropped on this leg's ports (e.g. strict source, decryption failure). */
  errors: number;
  /** UNIX seconds of the last RTP packet from this leg; undefined before the first one. */
  lastPacketAt: number | undefined;
  /** Where rtpengine sends this leg's media (learned or signalled). */
  endpoint: { address: string; port: number } | undefined;
  /** rtpengine's local RTP port facing this leg. */
  localPort: number | undefined;
}

export interface MediaStats {
  legs: Record<string, LegMediaStats>;
  /** Call-wide RTP totals as reported by rtpengine. */
  rtp: Counters;
}

type Dict = Record<string, unknown>;
const isDict = (v: unknown): v is Dict => typeof v === 'object' && v !== null && !Array.isArray(v);
const list = (v: unknown): Dict[] => (Array.isArray(v) ? v.filter(isDict) : []);
const num = (v: unknown): number => (typeof v === 'number' ? v : 0);

export function parseQueryReply(reply: Readonly<Record<string, unknown>>): MediaStats {
  const tags = isDict(reply.tags) ? reply.tags : {};
  const legs: Record<string, LegMediaStats> = {};
  const peers: Record<string, string[]> = {};
  for (const [tag, raw] of Object.entries(tags)) {
    if (!isDict(raw) || tag === '') continue;
    legs[tag] = legFromTag(tag, raw);
    peers[tag] = list(raw.subscriptions).map((s) => String(s.tag));
  }
  for (const [tag, leg] of Object.entries(legs)) {
    for (const peer of peers[tag] ?? []) {
      const p = legs[peer];
      if (!p) continue;
      leg.toLeg.packets += p.fromLeg.packets;
      leg.toLeg.bytes += p.fromLeg.bytes;
    }
  }
  const totals = isDict(reply.totals) && isDict(reply.totals.RTP) ? reply.totals.RTP : {};
  return { legs, rtp: { packets: num(totals.packets), bytes: num(totals.bytes) } };
}

function legFromTag(tag: string, raw: Dict): LegMediaStats {
  const leg: LegMediaStats = {
    tag,
    fromLeg: { packets: 0, bytes: 0 },
    toLeg: { packets: 0, bytes: 0 },
    errors: 0,
    lastPacketAt: undefined,
    endpoint: undefined,
    localPort: undefined,
  };
  for (const media of list(raw.medias)) {
    for (const stream of list(media.streams)) {
      const flags = Array.isArray(stream.flags) ? stream.flags : [];
      if (!flags.includes('RTP')) continue; // RTCP streams are not media
      const stats = isDict(stream.stats) ? stream.stats : {};
      const packets = num(stats.packets);
      leg.fromLeg.packets += packets;
      leg.fromLeg.bytes += num(stats.bytes);
      leg.errors += num(stats.errors);
      // `last packet` starts at the call's creation time; it only means something once counted.
      if (packets > 0) leg.lastPacketAt = Math.max(leg.lastPacketAt ?? 0, num(stream['last packet']));
      leg.localPort ??= typeof stream['local port'] === 'number' ? stream['local port'] : undefined;
      leg.endpoint ??= endpointOf(stream.endpoint);
    }
  }
  return leg;
}

function endpointOf(v: unknown): LegMediaStats['endpoint'] {
  if (!isDict(v) || typeof v.address !== 'string' || typeof v.port !== 'number') return undefined;
  return { address: v.address, port: v.port };
}

/** Legs that sent media while their peer sent none: the one-way-audio signature. */
export function oneWayLegs(stats: MediaStats): string[] {
  const legs = Object.values(stats.legs);
  if (legs.length < 2) return [];
  return legs.filter((l) => l.fromLeg.packets > 0 && l.toLeg.packets === 0).map((l) => l.tag);
}
