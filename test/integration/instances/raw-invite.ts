/**
 * A hand-made INVITE over UDP from a chosen local address, with extra headers (e.g. a forged
 * X-Palisade-Forwarded): collects the responses up to the final one and ACKs a failure
 * (RFC 3261 §17.1.1.3), so the server transaction ends cleanly.
 */
import dgram from 'node:dgram';
import { randomUUID } from 'node:crypto';

export async function rawInvite(o: {
  from: string;
  to: { address: string; port: number };
  ruri: string;
  headers: Record<string, string>;
  timeoutMs?: number;
}): Promise<number[]> {
  const socket = dgram.createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, o.from, resolve));
  const local = socket.address().port;
  const branch = `z9hG4bK-${randomUUID()}`;
  const callId = randomUUID();
  const fromTag = randomUUID().slice(0, 8);
  const sdp = [
    'v=0',
    `o=- 1 1 IN IP4 ${o.from}`,
    's=-',
    `c=IN IP4 ${o.from}`,
    't=0 0',
    'm=audio 40000 RTP/AVP 0',
    '',
  ];
  const body = sdp.join('\r\n');
  const common = [
    `Via: SIP/2.0/UDP ${o.from}:${local};rport;branch=${branch}`,
    'Max-Forwards: 69',
    `From: <sip:carrier@${o.from}>;tag=${fromTag}`,
    `Call-ID: ${callId}`,
  ];
  const invite = [
    `INVITE ${o.ruri} SIP/2.0`,
    ...common,
    `To: <${o.ruri}>`,
    'CSeq: 1 INVITE',
    `Contact: <sip:carrier@${o.from}:${local}>`,
    ...Object.entries(o.headers).map(([k, v]) => `${k}: ${v}`),
    'Content-Type: application/sdp',
    `Content-Length: ${Buffer.byteLength(body)}`,
    '',
    body,
  ].join('\r\n');
  const statuses: number[] = [];
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.close();
      if (statuses.length > 0) resolve(statuses);
      else reject(new Error(`no response within ${o.timeoutMs ?? 10_000} ms`));
    }, o.timeoutMs ?? 10_000);
    socket.on('message', (msg) => {
      const text = msg.toString('utf8');
      const status = Number(/^SIP\/2\.0 (\d{3})/.exec(text)?.[1] ?? 0);
      statuses.push(status);
      if (status < 200) return;
      clearTimeout(timer);
      const to = /^To:\s*(.*)$/im.exec(text)?.[1]?.trim() ?? `<${o.ruri}>`;
      const ack = [
        `ACK ${o.ruri} SIP/2.0`,
        ...common,
        `To: ${to}`,
        'CSeq: 1 ACK',
        'Content-Length: 0',
        '',
        '',
      ];
      socket.send(ack.join('\r\n'), o.to.port, o.to.address, () => {
        socket.close();
        resolve(statuses);
      });
    });
    socket.send(invite, o.to.port, o.to.address);
  });
}
