/**
 * A one-shot SIP request over UDP for tests: send a minimal out-of-dialog request, collect the
 * responses until a final one (or the deadline), and return them as text. Independent of lib/sip.
 */
import dgram from 'node:dgram';
import { randomUUID } from 'node:crypto';

export interface RawResponse {
  status: number;
  text: string;
}

export function header(res: RawResponse, name: string): string | undefined {
  const re = new RegExp(`^${name}\\s*:\\s*(.*)$`, 'im');
  return re.exec(res.text)?.[1]?.trim();
}

export function sendSipRequest(
  port: number,
  method: string,
  o: { user?: string; timeoutMs?: number; ruriParams?: string } = {},
): Promise<RawResponse[]> {
  const socket = dgram.createSocket('udp4');
  const responses: RawResponse[] = [];
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.close();
      if (responses.length) resolve(responses);
      else reject(new Error(`no response to ${method} within ${o.timeoutMs ?? 5000} ms`));
    }, o.timeoutMs ?? 5000);
    socket.on('message', (msg) => {
      const text = msg.toString('utf8');
      const status = Number(/^SIP\/2\.0 (\d{3})/.exec(text)?.[1] ?? 0);
      responses.push({ status, text });
      if (status >= 200) {
        clearTimeout(timer);
        socket.close();
        resolve(responses);
      }
    });
    socket.bind(0, '127.0.0.1', () => {
      const local = socket.address().port;
      const user = o.user ?? 'alice';
      const lines = [
        `${method} sip:${user}@127.0.0.1:${port}${o.ruriParams ?? ''} SIP/2.0`,
        `Via: SIP/2.0/UDP 127.0.0.1:${local};rport;branch=z9hG4bK-${randomUUID()}`,
        'Max-Forwards: 70',
        `From: <sip:bob@127.0.0.1:${local}>;tag=${randomUUID().slice(0, 8)}`,
        `To: <sip:${user}@127.0.0.1:${port}>`,
        `Call-ID: ${randomUUID()}`,
        `CSeq: 1 ${method}`,
        `Contact: <sip:bob@127.0.0.1:${local}>`,
        'Content-Length: 0',
        '',
        '',
      ];
      socket.send(lines.join('\r\n'), port, '127.0.0.1');
    });
  });
}
