/** Shared helpers for real-socket transport tests: loopback only, ephemeral ports. */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TransportManager, type TransportManagerOptions } from '../../../lib/sip/transport';
import type { Flow, TransportEvents } from '../../../lib/sip/transport';

export function sipRequest(method: string, callId: string, body = '', transport = 'TCP'): string {
  return (
    `${method} sip:bob@127.0.0.1 SIP/2.0\r\n` +
    `Via: SIP/2.0/${transport} 127.0.0.1:5999;branch=z9hG4bK-${callId}\r\n` +
    `Call-ID: ${callId}\r\nCSeq: 1 ${method}\r\nMax-Forwards: 70\r\n` +
    `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`
  );
}

export function sipResponse(callId: string): string {
  return `SIP/2.0 200 OK\r\nCall-ID: ${callId}\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n`;
}

/** Managers started through this are closed after each test. */
export class Managed {
  private readonly managers: TransportManager[] = [];

  async start(options: TransportManagerOptions): Promise<TransportManager> {
    const m = new TransportManager(options);
    this.managers.push(m);
    await m.start();
    return m;
  }

  async closeAll(): Promise<void> {
    await Promise.all(this.managers.splice(0).map((m) => m.close()));
  }
}

export function port(m: TransportManager, index = 0): number {
  const l = m.listeners()[index];
  if (l === undefined) throw new Error(`no listener ${index}`);
  return l.port;
}

export function nextEvent<K extends keyof TransportEvents>(
  m: TransportManager,
  event: K,
  timeoutMs = 3000,
): Promise<Parameters<TransportEvents[K]>> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      m.off(event, handler);
      reject(new Error(`timed out waiting for '${event}'`));
    }, timeoutMs);
    const handler = ((...args: Parameters<TransportEvents[K]>) => {
      clearTimeout(timer);
      m.off(event, handler);
      resolve(args);
    }) as TransportEvents[K];
    m.on(event, handler);
  });
}

export function nextMessage(m: TransportManager, timeoutMs = 3000): Promise<[Buffer, Flow]> {
  return nextEvent(m, 'message', timeoutMs);
}

/** A raw TCP peer that records everything it receives. */
export class RawPeer {
  received = Buffer.alloc(0);
  closed = false;
  readonly closedPromise: Promise<void>;

  private constructor(readonly socket: Socket) {
    socket.on('data', (d: Buffer) => (this.received = Buffer.concat([this.received, d])));
    socket.on('error', () => undefined);
    this.closedPromise = new Promise((resolve) =>
      socket.on('close', () => {
        this.closed = true;
        resolve();
      }),
    );
  }

  static connect(portNumber: number, host = '127.0.0.1'): Promise<RawPeer> {
    return new Promise((resolve, reject) => {
      const s = connect({ port: portNumber, host }, () => {
        resolve(new RawPeer(s));
      });
      s.once('error', reject);
    });
  }

  text(): string {
    return this.received.toString('latin1');
  }
}

export async function waitFor(cond: () => boolean, what: string, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

export function closedWithin(peer: RawPeer, ms: number): Promise<boolean> {
  return Promise.race([
    peer.closedPromise.then(() => true),
    new Promise<boolean>((r) =>
      setTimeout(() => {
        r(false);
      }, ms),
    ),
  ]);
}

export interface TestCerts {
  dir: string;
  ca: string;
  serverCert: string;
  serverKey: string;
  clientCert: string;
  clientKey: string;
  /** Signed by an unrelated CA: must be refused by a server requiring client certificates. */
  rogueCert: string;
  rogueKey: string;
  cleanup(): void;
}

/** Self-signed CA, server (SAN localhost/127.0.0.1/::1) and client certificates, via the openssl CLI. */
export function makeCerts(): TestCerts {
  const dir = mkdtempSync(join(tmpdir(), 'palisade-tls-'));
  const p = (f: string): string => join(dir, f);
  const ssl = (...args: string[]): void => {
    execFileSync('openssl', args, { stdio: 'pipe' });
  };
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  const caReq = (name: string, cn: string): void => {
    ssl(
      'req',
      '-x509',
      ...ec,
      '-keyout',
      p(`${name}.key`),
      '-out',
      p(`${name}.crt`),
      '-days',
      '2',
      '-subj',
      `/CN=${cn}`,
      '-addext',
      'basicConstraints=critical,CA:TRUE',
      '-addext',
      'keyUsage=critical,keyCertSign,cRLSign',
    );
  };
  const leaf = (name: string, cn: string, caName: string, ext: string): void => {
    writeFileSync(p(`${name}.ext`), ext);
    ssl('req', ...ec, '-keyout', p(`${name}.key`), '-out', p(`${name}.csr`), '-subj', `/CN=${cn}`);
    ssl(
      'x509',
      '-req',
      '-in',
      p(`${name}.csr`),
      '-CA',
      p(`${caName}.crt`),
      '-CAkey',
      p(`${caName}.key`),
      '-CAcreateserial',
      '-out',
      p(`${name}.crt`),
      '-days',
      '2',
      '-extfile',
      p(`${name}.ext`),
    );
  };
  caReq('ca', 'Palisade Test CA');
  caReq('rogue-ca', 'Rogue CA');
  leaf(
    'server',
    'localhost',
    'ca',
    'subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1\nextendedKeyUsage=serverAuth\n',
  );
  leaf('client', 'pbx.example', 'ca', 'extendedKeyUsage=clientAuth\n');
  leaf('rogue', 'pbx.example', 'rogue-ca', 'extendedKeyUsage=clientAuth\n');
  return {
    dir,
    ca: p('ca.crt'),
    serverCert: p('server.crt'),
    serverKey: p('server.key'),
    clientCert: p('client.crt'),
    clientKey: p('client.key'),
    rogueCert: p('rogue.crt'),
    rogueKey: p('rogue.key'),
    cleanup: () => {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function codeOf(e: unknown): string | undefined {
  return typeof e === 'object' && e !== null && 'code' in e && typeof e.code === 'string'
    ? e.code
    : undefined;
}
