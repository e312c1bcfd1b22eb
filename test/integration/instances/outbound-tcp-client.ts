/**
 * A minimal RFC 5626 client over TCP for the drain hand-over tests: registers alice with
 * +sip.instance and reg-id (answering the digest challenge, RFC 7616 with MD5), notices when the
 * server closes its flow (RFC 5626 §4.4: flow failure) and then registers again over a new
 * connection to the next target — at once, where a real client waits its back-off (§4.5).
 * It answers any INVITE with 486 Busy Here, so a test can see which connection a call came over.
 */
import net from 'node:net';
import { randomUUID } from 'node:crypto';
import { expectedResponse, parseAuthParams } from '../../../lib/sbc/registrar/digest';

export interface OutboundClient {
  /** Resolves with the number of successful registrations each time one succeeds. */
  registered(count: number): Promise<void>;
  /** How many times the server closed the flow. */
  readonly flowFailures: number;
  /** INVITEs received, with the target port of the connection they came over. */
  readonly invites: number[];
  close(): void;
}

const INSTANCE = `<urn:uuid:${randomUUID()}>`;

function headerOf(text: string, name: string): string[] {
  return text
    .split('\r\n')
    .filter((l) => l.toLowerCase().startsWith(`${name.toLowerCase()}:`))
    .map((l) => l.slice(name.length + 1).trim());
}

/** Complete messages from a TCP byte stream (RFC 3261 §18.3: Content-Length framing). */
function takeMessages(buffer: { text: string }): string[] {
  const out: string[] = [];
  for (;;) {
    buffer.text = buffer.text.replace(/^(\r\n)+/, '');
    const end = buffer.text.indexOf('\r\n\r\n');
    if (end < 0) return out;
    const head = buffer.text.slice(0, end);
    const length = Number(headerOf(head, 'Content-Length')[0] ?? 0);
    if (buffer.text.length < end + 4 + length) return out;
    out.push(buffer.text.slice(0, end + 4 + length));
    buffer.text = buffer.text.slice(end + 4 + length);
  }
}

export function startOutboundClient(o: {
  targets: number[];
  user: string;
  password: string;
}): OutboundClient {
  const callId = randomUUID();
  let cseq = 0;
  let registrations = 0;
  let flowFailures = 0;
  let closed = false;
  const invites: number[] = [];
  const waiters: { count: number; resolve: () => void }[] = [];
  const connectTo = (index: number): void => {
    const port = o.targets[Math.min(index, o.targets.length - 1)] ?? 0;
    const socket = net.connect({ host: '127.0.0.1', port, localAddress: '127.0.0.1' });
    const buffer = { text: '' };
    let challenges = 0; // a wrong answer is not retried for ever
    const register = (authorization?: string): void => {
      const local = socket.localPort ?? 0;
      const lines = [
        `REGISTER sip:127.0.0.1:${port};transport=tcp SIP/2.0`,
        `Via: SIP/2.0/TCP 127.0.0.1:${local};branch=z9hG4bK-${randomUUID()};rport`,
        'Max-Forwards: 70',
        `From: <sip:${o.user}@127.0.0.1>;tag=${callId.slice(0, 8)}`,
        `To: <sip:${o.user}@127.0.0.1>`,
        `Call-ID: ${callId}`,
        `CSeq: ${++cseq} REGISTER`,
        `Contact: <sip:${o.user}@127.0.0.1:${local};transport=tcp>;+sip.instance="${INSTANCE}";reg-id=1`,
        'Supported: outbound, path',
        'Expires: 600',
        ...(authorization === undefined ? [] : [`Authorization: ${authorization}`]),
        'Content-Length: 0',
        '',
        '',
      ];
      socket.write(lines.join('\r\n'));
    };
    const onResponse = (text: string): void => {
      const status = Number(/^SIP\/2\.0 (\d{3})/.exec(text)?.[1] ?? 0);
      if (!/^CSeq: *\d+ REGISTER/im.test(text)) return;
      if (status === 401 && challenges++ < 2) {
        const md5 = headerOf(text, 'WWW-Authenticate').find((c) => /algorithm=MD5/i.test(c)) ?? '';
        const params = parseAuthParams(md5);
        const realm = params?.get('realm') ?? '';
        const nonce = params?.get('nonce') ?? '';
        const uri = `sip:127.0.0.1:${port};transport=tcp`;
        const c = { username: o.user, realm, nonce, uri, qop: 'auth', nc: '00000001', cnonce: 'c0ffee' };
        const response = expectedResponse(
          { ...c, response: '', algorithm: 'MD5', opaque: undefined },
          'MD5',
          'REGISTER',
          o.password,
        );
        register(
          `Digest username="${o.user}", realm="${realm}", nonce="${nonce}", uri="${uri}", response="${response}", algorithm=MD5, qop=auth, nc=00000001, cnonce="c0ffee"`,
        );
      } else if (status === 200) {
        registrations++;
        for (const w of waiters.filter((x) => x.count <= registrations)) w.resolve();
      }
    };
    const onRequest = (text: string): void => {
      if (!text.startsWith('INVITE ')) return;
      invites.push(port);
      const copy = ['Via', 'From', 'Call-ID', 'CSeq'].flatMap((h) =>
        headerOf(text, h).map((v) => `${h}: ${v}`),
      );
      const to = headerOf(text, 'To')[0] ?? '';
      socket.write(
        ['SIP/2.0 486 Busy Here', ...copy, `To: ${to};tag=busy`, 'Content-Length: 0', '', ''].join('\r\n'),
      );
    };
    socket.on('connect', () => {
      register();
    });
    socket.on('data', (chunk) => {
      buffer.text += chunk.toString('utf8');
      for (const m of takeMessages(buffer)) (m.startsWith('SIP/2.0') ? onResponse : onRequest)(m);
    });
    socket.on('error', () => undefined); // the close that follows is the flow failure
    socket.on('close', () => {
      if (closed) return;
      flowFailures++;
      connectTo(index + 1);
    });
    sockets.push(socket);
  };
  const sockets: net.Socket[] = [];
  connectTo(0);
  return {
    registered: (count) =>
      registrations >= count ? Promise.resolve() : new Promise((resolve) => waiters.push({ count, resolve })),
    get flowFailures() {
      return flowFailures;
    },
    invites,
    close: () => {
      closed = true;
      for (const s of sockets) s.destroy();
    },
  };
}
