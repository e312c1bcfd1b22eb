/** Small SDP bodies for media tests and the few facts the tests read back out of rewritten SDP. */

export interface SdpSpec {
  address: string;
  port: number;
  proto?: string;
  direction?: 'sendrecv' | 'sendonly' | 'recvonly' | 'inactive';
  version?: number;
  extra?: string[];
}

export function audioSdp(s: SdpSpec): string {
  return [
    'v=0',
    `o=- 1000 ${s.version ?? 1} IN IP4 ${s.address}`,
    's=-',
    `c=IN IP4 ${s.address}`,
    't=0 0',
    `m=audio ${s.port} ${s.proto ?? 'RTP/AVP'} 0 101`,
    'a=rtpmap:0 PCMU/8000',
    'a=rtpmap:101 telephone-event/8000',
    'a=fmtp:101 0-15',
    `a=${s.direction ?? 'sendrecv'}`,
    ...(s.extra ?? []),
    '',
  ].join('\r\n');
}

export interface SdpFacts {
  origin: string;
  connections: string[];
  mediaPort: number;
  proto: string;
  crypto: string[];
  direction: string | undefined;
}

export function sdpFacts(sdp: string): SdpFacts {
  const lines = sdp.split(/\r?\n/);
  const m = /^m=audio (\d+) (\S+)/.exec(lines.find((l) => l.startsWith('m=audio')) ?? '');
  if (!m) throw new Error(`no m=audio in ${sdp}`);
  return {
    origin: lines.find((l) => l.startsWith('o=')) ?? '',
    connections: lines.filter((l) => l.startsWith('c=')).map((l) => l.replace(/^c=IN IP[46] /, '')),
    mediaPort: Number(m[1]),
    proto: m[2] ?? '',
    crypto: lines.filter((l) => l.startsWith('a=crypto:')),
    direction: lines.find((l) => /^a=(sendrecv|sendonly|recvonly|inactive)$/.test(l))?.slice(2),
  };
}

/** RFC 1918 private IPv4 address (10/8, 172.16/12, 192.168/16). */
export const isPrivateV4 = (a: string): boolean => /^(10\.|192\.168\.|172\.(1[6-9]|2\d|3[01])\.)/.test(a);
