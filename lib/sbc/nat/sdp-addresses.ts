/**
 * The addresses and ports a client wrote into its SDP, for NAT and ALG decisions (not a general
 * SDP parser). RFC 4566 §5.2 o=, §5.7 c= (session level, overridden per media), §5.14 m=;
 * RFC 3605 a=rtcp. Only IN IP4 / IN IP6 addresses are kept; lines may end in CRLF or LF.
 */

export interface SdpMedia {
  /** audio, video, … */
  type: string;
  /** 0 = stream rejected or disabled (RFC 3264 §6). */
  port: number;
  /** The connection address in effect for this stream (media-level c=, else session-level). */
  connection: string | undefined;
  /** RFC 3605 a=rtcp port and optional address. */
  rtcpPort: number | undefined;
  rtcpAddress: string | undefined;
}

export interface SdpAddresses {
  /** o= unicast-address. */
  origin: string | undefined;
  /** Session-level c= address. */
  sessionConnection: string | undefined;
  /** Every distinct c= address, session and media level, in order of appearance. */
  connections: readonly string[];
  media: readonly SdpMedia[];
}

/** Streams kept per body: bounded work for hostile input. */
const MAX_MEDIA = 32;

/** c=IN IP4 192.0.2.1[/ttl[/n]] or o=… IN IP4 host: the address, without the multicast suffix. */
function netAddress(nettype: string | undefined, addrtype: string | undefined, address: string | undefined) {
  if (nettype !== 'IN' || (addrtype !== 'IP4' && addrtype !== 'IP6') || address === undefined)
    return undefined;
  const slash = address.indexOf('/');
  return slash < 0 ? address : address.slice(0, slash);
}

function port(text: string | undefined): number | undefined {
  if (text === undefined || !/^\d{1,5}$/.test(text)) return undefined;
  const n = Number(text);
  return n <= 65535 ? n : undefined;
}

/** Extract the addresses from an SDP body; an empty or non-SDP body yields empty results. */
export function sdpAddresses(sdp: string): SdpAddresses {
  let origin: string | undefined;
  let sessionConnection: string | undefined;
  const connections: string[] = [];
  const media: SdpMedia[] = [];
  let current: SdpMedia | undefined;
  for (const raw of sdp.split('\n')) {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    const value = line.slice(2);
    const key = line.slice(0, 2);
    if (key === 'm=') {
      if (media.length >= MAX_MEDIA) break;
      const [type = '', portText = ''] = value.split(' ');
      current = {
        type,
        port: port(portText.split('/')[0]) ?? 0,
        connection: sessionConnection,
        rtcpPort: undefined,
        rtcpAddress: undefined,
      };
      media.push(current);
    } else if (key === 'c=') {
      const [nettype, addrtype, address] = value.split(' ');
      const addr = netAddress(nettype, addrtype, address);
      if (addr === undefined) continue;
      if (!connections.includes(addr)) connections.push(addr);
      if (current === undefined) sessionConnection = addr;
      else current.connection = addr;
    } else if (key === 'o=' && current === undefined) {
      const fields = value.split(' ');
      origin = netAddress(fields[3], fields[4], fields[5]);
    } else if (current !== undefined && line.startsWith('a=rtcp:')) {
      const [portText, nettype, addrtype, address] = line.slice(7).split(' ');
      current.rtcpPort = port(portText);
      current.rtcpAddress = netAddress(nettype, addrtype, address);
    }
  }
  return { origin, sessionConnection, connections, media };
}
