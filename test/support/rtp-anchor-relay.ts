/**
 * A miniature media anchor for sipp self-tests, standing where Palisade and rtpengine stand in
 * the real tests: caller ⇄ relay ⇄ callee over SIP/UDP on loopback, the relay rewriting every
 * SDP body it forwards (c= and m=audio) to one of its two RTP sockets, then relaying RTP between
 * them and counting it per direction. sipp 3.6.1 cannot count the RTP it receives, and two
 * sipps talking directly leave nothing in between to count; this gives a test both directions:
 *
 *   caller RTP → callerLeg socket (in the answer the caller sees) → calleeLeg → callee media
 *   callee RTP → calleeLeg socket (in the offer the callee sees)  → callerLeg → caller media
 *
 * Offers/answers are told apart by direction: SDP going to the server is the caller's, SDP
 * coming back is the callee's. Like rtpengine, the caller's address is then learned from the
 * first RTP it sends (the callee's too). One media session at a time: the latest SDP of each
 * side wins. SIP is forwarded as-is otherwise (sipp sends every request of a call to its
 * remote address, and the UAS fixtures answer the address a request came from).
 */
import dgram from 'node:dgram';
import { describeSip, peekSip } from './sip-peek';

export type RtpDirection = 'callerToCallee' | 'calleeToCaller';

export interface RtpLegStats {
  /** Datagrams received on the leg's socket. */
  packets: number;
  bytes: number;
  /** Sent on to the other side (the rest arrived before that side's address was known). */
  forwarded: number;
  unroutable: number;
  /** Of `packets`, how many looked like RTP v2 (first byte 0x80…0xbf, at least 12 bytes). */
  rtp: number;
  payloadTypes: number[];
  ssrcs: number[];
  firstSeq?: number;
  lastSeq?: number;
  /** Payload (after the 12-byte header, CSRCs skipped) of the first RTP packet. */
  firstPayload?: Buffer;
  /** ms since the relay started, of the first and the last datagram. */
  firstAt?: number;
  lastAt?: number;
}

export interface RtpAnchorRelay {
  /** Where the caller sends SIP (its remote address). */
  readonly host: string;
  readonly port: number;
  /** The relay's RTP sockets: the one the caller sends to, and the one the callee sends to. */
  readonly rtpPorts: { readonly callerLeg: number; readonly calleeLeg: number };
  readonly stats: Readonly<Record<RtpDirection, RtpLegStats>>;
  /** Media addresses as read from SDP, then as learned from RTP. */
  media(): { caller?: { host: string; port: number }; callee?: { host: string; port: number } };
  /** SIP seen, one line each: `toServer INVITE (sdp 127.0.0.1:6000 → 127.0.0.1:41234)`. */
  readonly sipLog: readonly string[];
  close(): Promise<void>;
}

export interface RtpAnchorRelayOptions {
  /** The callee's SIP address (a sipp UAS). */
  server: { host: string; port: number };
  /** Address for every relay socket (default 127.0.0.1). */
  host?: string;
}

/** The audio address of an SDP body (session or media-level c=, first m=audio). */
export function sdpAudioAddress(sdp: string): { host: string; port: number } | undefined {
  const conn = /^c=IN IP[46] (\S+)/m.exec(sdp);
  const audio = /^m=audio (\d+) /m.exec(sdp);
  if (conn?.[1] === undefined || audio?.[1] === undefined) return undefined;
  return { host: conn[1], port: Number(audio[1]) };
}

/**
 * A SIP datagram with its SDP body's c= lines and m=audio port replaced, Content-Length fixed;
 * `undefined` when it carries no SDP.
 */
export function rewriteSipSdp(
  datagram: Buffer,
  to: { host: string; port: number },
): { message: Buffer; original: { host: string; port: number } | undefined } | undefined {
  const text = datagram.toString('latin1');
  const split = text.indexOf('\r\n\r\n');
  if (split < 0) return undefined;
  const head = text.slice(0, split);
  const body = text.slice(split + 4);
  if (!/^(content-type|c)[ \t]*:[ \t]*application\/sdp/im.test(head) || body.length === 0) return undefined;
  const original = sdpAudioAddress(body);
  const family = to.host.includes(':') ? 'IP6' : 'IP4';
  const newBody = body
    .replace(/^c=IN IP[46] \S+/gm, `c=IN ${family} ${to.host}`)
    .replace(/^m=audio \d+ /m, `m=audio ${to.port} `);
  const newHead = head.replace(/^(content-length|l)([ \t]*):[ \t]*\d+/im, (_m, name: string, ws: string) => {
    return `${name}${ws}: ${Buffer.byteLength(newBody, 'latin1')}`;
  });
  return { message: Buffer.from(`${newHead}\r\n\r\n${newBody}`, 'latin1'), original };
}

function bindSocket(host: string): Promise<dgram.Socket> {
  const socket = dgram.createSocket(host.includes(':') ? 'udp6' : 'udp4');
  return new Promise((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(0, host, () => {
      socket.off('error', reject);
      resolve(socket);
    });
  });
}

const emptyStats = (): RtpLegStats => ({
  packets: 0,
  bytes: 0,
  forwarded: 0,
  unroutable: 0,
  rtp: 0,
  payloadTypes: [],
  ssrcs: [],
});

export async function startRtpAnchorRelay(opts: RtpAnchorRelayOptions): Promise<RtpAnchorRelay> {
  const host = opts.host ?? '127.0.0.1';
  const [sipClient, sipServer, callerLeg, calleeLeg] = await Promise.all(
    [0, 1, 2, 3].map(() => bindSocket(host)),
  );
  if (!sipClient || !sipServer || !callerLeg || !calleeLeg) throw new Error('relay sockets');
  const started = performance.now();
  const now = (): number => Math.round((performance.now() - started) * 10) / 10;
  const stats: Record<RtpDirection, RtpLegStats> = {
    callerToCallee: emptyStats(),
    calleeToCaller: emptyStats(),
  };
  const sipLog: string[] = [];
  let sipPeer: { host: string; port: number } | undefined;
  let caller: { host: string; port: number } | undefined;
  let callee: { host: string; port: number } | undefined;
  let closed = false;
  const legPort = (s: dgram.Socket): number => s.address().port;

  const onSip = (toServer: boolean, msg: Buffer, from: dgram.RemoteInfo): void => {
    if (closed) return;
    if (toServer) sipPeer = { host: from.address, port: from.port };
    const target = toServer ? opts.server : sipPeer;
    // The callee must send to the calleeLeg socket, the caller to the callerLeg socket.
    const rewritten = rewriteSipSdp(msg, { host, port: legPort(toServer ? calleeLeg : callerLeg) });
    let line = `${toServer ? 'toServer' : 'toClient'} ${describeSip(peekSip(msg))}`;
    if (rewritten?.original !== undefined) {
      const o = rewritten.original;
      if (toServer) caller = o;
      else callee = o;
      line += ` (sdp ${o.host}:${o.port} → ${host}:${legPort(toServer ? calleeLeg : callerLeg)})`;
    }
    if (sipLog.length < 1000) sipLog.push(line);
    if (target !== undefined)
      (toServer ? sipServer : sipClient).send(rewritten?.message ?? msg, target.port, target.host);
  };

  const onRtp = (direction: RtpDirection, msg: Buffer, from: dgram.RemoteInfo): void => {
    if (closed) return;
    const s = stats[direction];
    s.packets++;
    s.bytes += msg.length;
    s.firstAt ??= now();
    s.lastAt = now();
    const first = msg[0] ?? 0;
    if (msg.length >= 12 && first >> 6 === 2) {
      s.rtp++;
      const pt = (msg[1] ?? 0) & 0x7f;
      const seq = msg.readUInt16BE(2);
      const ssrc = msg.readUInt32BE(8);
      if (!s.payloadTypes.includes(pt)) s.payloadTypes.push(pt);
      if (!s.ssrcs.includes(ssrc) && s.ssrcs.length < 100) s.ssrcs.push(ssrc);
      s.firstSeq ??= seq;
      s.lastSeq = seq;
      s.firstPayload ??= Buffer.from(msg.subarray(12 + 4 * (first & 0x0f)));
    }
    // Latch: media comes from where the peer really sends (as rtpengine learns it).
    const src = { host: from.address, port: from.port };
    if (direction === 'callerToCallee') caller = src;
    else callee = src;
    const target = direction === 'callerToCallee' ? callee : caller;
    if (target === undefined) {
      s.unroutable++;
      return;
    }
    s.forwarded++;
    (direction === 'callerToCallee' ? calleeLeg : callerLeg).send(msg, target.port, target.host);
  };

  sipClient.on('message', (m, r) => {
    onSip(true, m, r);
  });
  sipServer.on('message', (m, r) => {
    onSip(false, m, r);
  });
  callerLeg.on('message', (m, r) => {
    onRtp('callerToCallee', m, r);
  });
  calleeLeg.on('message', (m, r) => {
    onRtp('calleeToCaller', m, r);
  });
  // ICMP port unreachable and the like: the datagram is lost, as on a network.
  for (const s of [sipClient, sipServer, callerLeg, calleeLeg]) s.on('error', () => undefined);

  return {
    host,
    port: legPort(sipClient),
    rtpPorts: { callerLeg: legPort(callerLeg), calleeLeg: legPort(calleeLeg) },
    stats,
    media: () => ({ caller, callee }),
    sipLog,
    close: async () => {
      if (closed) return;
      closed = true;
      await Promise.all(
        [sipClient, sipServer, callerLeg, calleeLeg].map(
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
