/** Minimal RTP (RFC 3550 §5.1) over real UDP sockets, for media-path tests. */
import dgram from 'node:dgram';

/** A 12-byte RTP header (V=2, no padding/extension/CSRC) followed by `payload`. */
export function rtpPacket(
  seq: number,
  timestamp: number,
  ssrc: number,
  payloadType = 0,
  payloadBytes = 160,
): Buffer {
  const b = Buffer.alloc(12 + payloadBytes, 0xff); // 0xff is µ-law silence
  b[0] = 0x80;
  b[1] = payloadType & 0x7f;
  b.writeUInt16BE(seq & 0xffff, 2);
  b.writeUInt32BE(timestamp >>> 0, 4);
  b.writeUInt32BE(ssrc >>> 0, 8);
  return b;
}

export const rtpSeq = (b: Buffer): number => b.readUInt16BE(2);

/** A UDP socket on loopback that remembers what it received. */
export class RtpEndpoint {
  readonly received: { data: Buffer; from: { address: string; port: number } }[] = [];
  private constructor(private readonly socket: dgram.Socket) {
    socket.on('message', (data, rinfo) => {
      this.received.push({ data, from: { address: rinfo.address, port: rinfo.port } });
    });
  }

  static open(host = '127.0.0.1'): Promise<RtpEndpoint> {
    return new Promise((resolve, reject) => {
      const s = dgram.createSocket('udp4');
      s.once('error', reject);
      s.bind(0, host, () => {
        resolve(new RtpEndpoint(s));
      });
    });
  }

  get port(): number {
    return this.socket.address().port;
  }

  send(packet: Buffer, port: number, host = '127.0.0.1'): Promise<void> {
    return new Promise((resolve, reject) => {
      this.socket.send(packet, port, host, (e) => {
        if (e) reject(e);
        else resolve();
      });
    });
  }

  /** Sends `count` consecutive packets 20 ms apart (one ptime). */
  async stream(port: number, count: number, ssrc: number, firstSeq = 1): Promise<void> {
    for (let i = 0; i < count; i++) {
      await this.send(rtpPacket(firstSeq + i, (firstSeq + i) * 160, ssrc), port);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  close(): void {
    this.socket.close();
  }
}
