/**
 * A scripted UDP phone for NAT tests on loopback: it sends from 127.0.0.1 but writes whatever
 * addresses it is told into Via, Contact and SDP (a phone behind NAT writes its LAN address; one
 * behind an ALG gets some of them rewritten to the public address). It answers every request it
 * receives (200; with SDP for INVITE), records them, and counts the RTP that reaches its media
 * socket — which is not the port its SDP announces unless told so.
 */
import dgram from 'node:dgram';
import { randomUUID } from 'node:crypto';
import { RtpEndpoint, rtpPacket } from '../../support/rtp';

export interface PhoneLook {
  /** sent-by host and port of the Via (default: the real socket). */
  via?: { host: string; port: number };
  contactHost?: string;
  contactPort?: number;
  origin?: string;
  /** SDP c= address and m= port (default: the real RTP socket). */
  connection?: string;
  mediaPort?: number;
  userAgent?: string;
  /** Drop the Palisade-signed user part from Request-URIs (an ALG mangling them). */
  mangleRuri?: boolean;
}

export interface Received {
  text: string;
  from: { address: string; port: number };
}

const header = (text: string, name: string): string | undefined =>
  new RegExp(`^${name}\\s*:\\s*(.*)$`, 'im').exec(text)?.[1]?.trim();

export class NatPhone {
  readonly requests: Received[] = [];
  readonly responses: Received[] = [];
  private cseq = 1;
  private readonly callId = randomUUID();
  private readonly tag = randomUUID().slice(0, 8);
  private dialog: { toTag: string; ruri: string; to: string } | undefined;
  remoteMedia: { address: string; port: number } | undefined;

  private constructor(
    private readonly sip: dgram.Socket,
    readonly rtp: RtpEndpoint,
    private readonly sbcPort: number,
    private readonly look: PhoneLook,
  ) {
    sip.on('message', (msg, rinfo) => {
      this.onMessage(msg.toString('utf8'), { address: rinfo.address, port: rinfo.port });
    });
  }

  static async open(sbcPort: number, look: PhoneLook = {}): Promise<NatPhone> {
    const sip = dgram.createSocket('udp4');
    await new Promise<void>((resolve) => sip.bind(0, '127.0.0.1', resolve));
    return new NatPhone(sip, await RtpEndpoint.open(), sbcPort, look);
  }

  get sipPort(): number {
    return this.sip.address().port;
  }

  private sdp(version: number): string {
    const l = this.look;
    const c = l.connection ?? '127.0.0.1';
    return [
      'v=0',
      `o=phone 1 ${version} IN IP4 ${l.origin ?? c}`,
      's=-',
      `c=IN IP4 ${c}`,
      't=0 0',
      `m=audio ${l.mediaPort ?? this.rtp.port} RTP/AVP 0`,
      'a=rtpmap:0 PCMU/8000',
      'a=sendrecv',
      '',
    ].join('\r\n');
  }

  private contact(): string {
    return `<sip:phone@${this.look.contactHost ?? '127.0.0.1'}:${this.look.contactPort ?? this.sipPort}>`;
  }

  private send(lines: string[], body = ''): void {
    const text = [...lines, `Content-Length: ${Buffer.byteLength(body)}`, '', body].join('\r\n');
    this.sip.send(text, this.sbcPort, '127.0.0.1');
  }

  private request(method: string, ruri: string, to: string, body = '', cseq = this.cseq++): void {
    const via = this.look.via ?? { host: '127.0.0.1', port: this.sipPort };
    this.send(
      [
        `${method} ${ruri} SIP/2.0`,
        `Via: SIP/2.0/UDP ${via.host}:${via.port};rport;branch=z9hG4bK-${randomUUID()}`,
        'Max-Forwards: 70',
        `From: <sip:phone@example.com>;tag=${this.tag}`,
        `To: ${to}`,
        `Call-ID: ${this.callId}`,
        `CSeq: ${cseq} ${method}`,
        `Contact: ${this.contact()}`,
        ...(this.look.userAgent ? [`User-Agent: ${this.look.userAgent}`] : []),
        ...(body ? ['Content-Type: application/sdp'] : []),
      ],
      body,
    );
  }

  /** INVITE through the SBC; resolves with the 200 (ACK sent) or rejects on a failure. */
  async invite(user = 'echo', timeoutMs = 10_000): Promise<Received> {
    const to = `<sip:${user}@127.0.0.1:${this.sbcPort}>`;
    const cseq = this.cseq++;
    this.request('INVITE', `sip:${user}@127.0.0.1:${this.sbcPort}`, to, this.sdp(1), cseq);
    const ok = await this.waitFor(
      () => this.responses.find((r) => /^SIP\/2\.0 [2-6]\d\d /.test(r.text)),
      timeoutMs,
    );
    if (!ok.text.startsWith('SIP/2.0 200'))
      throw new Error(`INVITE failed: ${ok.text.split('\r\n')[0] ?? ''}`);
    const contact = /<([^>]*)>/.exec(header(ok.text, 'Contact') ?? '')?.[1] ?? '';
    const ruri = this.look.mangleRuri === true ? contact.replace(/pst-[^@]*@/, '') : contact;
    this.dialog = { toTag: '', ruri, to: header(ok.text, 'To') ?? to };
    const sdp = ok.text.slice(ok.text.indexOf('\r\n\r\n') + 4);
    const address = /^c=IN IP4 (\S+)/m.exec(sdp)?.[1] ?? '';
    const port = Number(/^m=audio (\d+)/m.exec(sdp)?.[1] ?? 0);
    this.remoteMedia = { address, port };
    this.request('ACK', ruri, this.dialog.to, '', cseq);
    return ok;
  }

  bye(): void {
    if (!this.dialog) throw new Error('no dialog');
    this.request('BYE', this.dialog.ruri, this.dialog.to);
  }

  /** RTP to the SBC's media address for `ms`, 20 ms apart. */
  async streamRtp(ms: number): Promise<void> {
    const to = this.remoteMedia;
    if (!to) throw new Error('no remote media');
    for (let i = 1; i <= ms / 20; i++) {
      await this.rtp.send(rtpPacket(i, i * 160, 0x1234abcd), to.port, to.address);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  receivedRequests(method: string): Received[] {
    return this.requests.filter((r) => r.text.startsWith(`${method} `));
  }

  async waitFor<T>(find: () => T | undefined, timeoutMs = 10_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = find();
      if (found !== undefined) return found;
      if (Date.now() > deadline) throw new Error('timed out waiting');
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  close(): void {
    this.sip.close();
    this.rtp.close();
  }

  private onMessage(text: string, from: Received['from']): void {
    if (text.startsWith('SIP/2.0 ')) {
      this.responses.push({ text, from });
      return;
    }
    this.requests.push({ text, from });
    if (text.startsWith('ACK ')) return;
    const invite = text.startsWith('INVITE ');
    const lines = [
      'SIP/2.0 200 OK',
      ...text.split('\r\n').filter((l) => /^(via|v|from|f|call-id|i|cseq)\s*:/i.test(l)),
      `To: ${header(text, 'To') ?? ''}${/;tag=/.test(header(text, 'To') ?? '') ? '' : `;tag=${this.tag}`}`,
      ...(invite ? [`Contact: ${this.contact()}`, 'Content-Type: application/sdp'] : []),
    ];
    const body = invite ? this.sdp(2) : '';
    const reply = [...lines, `Content-Length: ${Buffer.byteLength(body)}`, '', body].join('\r\n');
    this.sip.send(reply, from.port, from.address);
  }
}
