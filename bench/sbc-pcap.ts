/**
 * Setup delay an SBC adds, from a passive capture (tcpdump on lo, pcap file): for every call, the
 * time between a message arriving at the SBC's SIP port and the matching message leaving it on the
 * other leg — INVITE in → INVITE out, 180 in → 180 out, 200 (INVITE) in → 200 out.
 *
 * The two legs of a call are paired by the Request-URI user of the initial INVITE (bench/sipp/
 * sbc-uac.xml sends `c<call number>`), which survives topology hiding; the legs' own Call-IDs then
 * pair the responses. Only the first copy of each message counts (retransmissions are ignored).
 * Timestamps are the kernel's capture times on lo, so queueing in the SBC's receive buffer is part
 * of the delay.
 */
import { readFileSync } from 'node:fs';
import { spawnBound, type BoundChild } from '../lib/util/bound-child';
import { eventually } from '../test/support/http';

export const TCPDUMP_BIN = '/usr/bin/tcpdump';

export interface Capture {
  file: string;
  stop(): Promise<void>;
}

/** Capture UDP to/from `port` on lo into `file` (snaplen 2048, 32 MiB kernel buffer). */
export async function startCapture(port: number, file: string): Promise<Capture> {
  const child: BoundChild = spawnBound(TCPDUMP_BIN, [
    ...['-i', 'lo', '-n', '-p', '-s', '2048', '-B', '32768', '-U', '-w', file],
    ...['udp', 'port', String(port)],
  ]);
  // tcpdump says "listening on lo" on stderr once the capture runs
  await eventually(
    () => {
      if (!child.recentOutput().includes('listening on'))
        throw new Error(`tcpdump not ready: ${child.recentOutput()}`);
    },
    5000,
    20,
  );
  return {
    file,
    stop: async () => {
      await new Promise((r) => setTimeout(r, 300));
      await child.stop(3000);
    },
  };
}

interface Packet {
  tMs: number;
  srcPort: number;
  dstPort: number;
  payload: string;
}

/** UDP/IPv4 packets of a pcap file (Ethernet link type, as tcpdump writes for lo). */
export function readPcap(file: string): Packet[] {
  const b = readFileSync(file);
  if (b.length < 24) return [];
  const magic = b.readUInt32LE(0);
  const nano = magic === 0xa1b23c4d;
  if (magic !== 0xa1b2c3d4 && !nano) throw new Error(`${file}: not a little-endian pcap file`);
  const linkType = b.readUInt32LE(20);
  const linkLen = linkType === 1 ? 14 : linkType === 113 ? 16 : 0;
  const out: Packet[] = [];
  for (let off = 24; off + 16 <= b.length;) {
    const sec = b.readUInt32LE(off);
    const frac = b.readUInt32LE(off + 4);
    const incl = b.readUInt32LE(off + 8);
    const data = b.subarray(off + 16, off + 16 + incl);
    off += 16 + incl;
    const ip = linkLen;
    if (data.length < ip + 28 || data[ip] === undefined || data[ip] >> 4 !== 4) continue;
    if (data[ip + 9] !== 17) continue;
    const ihl = (data[ip] & 0x0f) * 4;
    const udp = ip + ihl;
    out.push({
      tMs: sec * 1000 + (nano ? frac / 1e6 : frac / 1e3),
      srcPort: data.readUInt16BE(udp),
      dstPort: data.readUInt16BE(udp + 2),
      payload: data.subarray(udp + 8).toString('latin1'),
    });
  }
  return out;
}

interface SipSummary {
  /** 'INVITE' or a status code as a string. */
  first: string;
  callId: string;
  cseqMethod: string;
  ruriUser: string;
}

function summarize(payload: string): SipSummary | undefined {
  const eol = payload.indexOf('\r\n');
  if (eol < 0) return undefined;
  const line = payload.slice(0, eol);
  const header = (name: string, short: string): string => {
    const m = new RegExp(`\\r\\n(?:${name}|${short})[ \\t]*:[ \\t]*([^\\r\\n]*)`, 'i').exec(payload);
    return m?.[1]?.trim() ?? '';
  };
  const callId = header('Call-ID', 'i');
  const cseqMethod = header('CSeq', 'CSeq').split(/\s+/)[1] ?? '';
  if (line.startsWith('SIP/2.0 ')) return { first: line.slice(8, 11), callId, cseqMethod, ruriUser: '' };
  const [method, uri = ''] = line.split(' ');
  const user = /^sips?:([^@;>]+)@/.exec(uri)?.[1] ?? '';
  return { first: method ?? '', callId, cseqMethod, ruriUser: user };
}

export interface Percentiles {
  n: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

export interface DelayReport {
  packets: number;
  /** Calls whose INVITE was seen on both sides. */
  pairedCalls: number;
  invite: Percentiles;
  ringing: Percentiles;
  ok: Percentiles;
}

export function percentiles(v: readonly number[]): Percentiles {
  const s = [...v].sort((a, b) => a - b);
  const at = (p: number): number =>
    s[Math.min(s.length - 1, Math.max(0, Math.ceil(p * s.length) - 1))] ?? NaN;
  return { n: s.length, p50: at(0.5), p90: at(0.9), p99: at(0.99), max: s[s.length - 1] ?? NaN };
}

/** Pair the legs through the SBC on `sbcPort` and measure in → out per message kind. */
export function setupDelays(packets: readonly Packet[], sbcPort: number): DelayReport {
  // first time each (direction, call-id, message) was seen
  const firstSeen = new Map<string, number>();
  const inviteIn = new Map<string, { callId: string; t: number }>(); // ruri user → A leg
  const inviteOut = new Map<string, { callId: string; t: number }>(); // ruri user → B leg
  for (const p of packets) {
    const s = summarize(p.payload);
    if (s === undefined) continue;
    const dir = p.dstPort === sbcPort ? 'in' : p.srcPort === sbcPort ? 'out' : undefined;
    if (dir === undefined) continue;
    const isInvite = s.first === 'INVITE' || s.cseqMethod === 'INVITE';
    if (!isInvite) continue;
    const key = `${dir} ${s.callId} ${s.first}`;
    if (firstSeen.has(key)) continue;
    firstSeen.set(key, p.tMs);
    if (s.first === 'INVITE' && s.ruriUser !== '') {
      const m = dir === 'in' ? inviteIn : inviteOut;
      if (!m.has(s.ruriUser)) m.set(s.ruriUser, { callId: s.callId, t: p.tMs });
    }
  }
  const inv: number[] = [];
  const ring: number[] = [];
  const ok: number[] = [];
  let paired = 0;
  for (const [user, a] of inviteIn) {
    const b = inviteOut.get(user);
    if (b === undefined) continue;
    paired++;
    inv.push(b.t - a.t);
    const pair = (code: string, into: number[]): void => {
      const tin = firstSeen.get(`in ${b.callId} ${code}`);
      const tout = firstSeen.get(`out ${a.callId} ${code}`);
      if (tin !== undefined && tout !== undefined) into.push(tout - tin);
    };
    pair('180', ring);
    pair('200', ok);
  }
  return {
    packets: packets.length,
    pairedCalls: paired,
    invite: percentiles(inv),
    ringing: percentiles(ring),
    ok: percentiles(ok),
  };
}
