/**
 * The TLS control port (protocol doc §1.1, engine.control.tls): drachtio-srf connects with
 * `tls: { rejectUnauthorized: false }` and authenticates; the plain port stays open for srf's
 * reconnects (which are always plain TCP).
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Srf from 'drachtio-srf';
import { silentLog } from '../../../lib/util/logger';
import { startEngine, type Engine } from '../../../lib/engine/embedded-engine';
import { freeSipPort, freeTcpPort } from '../../support/ports';

function selfSigned(dir: string): { cert: string; key: string } {
  const cert = path.join(dir, 'cert.pem');
  const key = path.join(dir, 'key.pem');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      key,
      '-out',
      cert,
      '-days',
      '1',
      '-subj',
      '/CN=localhost',
    ],
    { stdio: 'ignore', timeout: 20_000 },
  );
  return { cert, key };
}

function connect(
  config: Srf.SrfConfig & { tls?: object },
): Promise<{ srf: Srf; err: Error | null; hostport: string }> {
  const srf = new Srf();
  return new Promise((resolve) => {
    srf.on('connect', (err: Error | null, hostport: string) => {
      resolve({ srf, err, hostport });
    });
    void srf.connect(config);
  });
}

describe('engine control port over TLS (real drachtio-srf)', function () {
  this.timeout(30_000);
  let dir: string;
  let engine: Engine;
  const srfs: Srf[] = [];

  before(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'palisade-control-tls-'));
    const files = selfSigned(dir);
    engine = await startEngine({
      control: {
        address: '127.0.0.1',
        port: 0,
        secret: 'cymru',
        tls: { port: await freeTcpPort(), ...files },
      },
      listeners: [{ transport: 'udp', address: '127.0.0.1', port: await freeSipPort() }],
      log: silentLog,
    });
  });

  after(async () => {
    for (const s of srfs) {
      s.removeAllListeners();
      // a refused srf keeps reconnecting (over plain TCP) after the engine is gone
      s.on('error', () => undefined);
      try {
        s.disconnect();
      } catch {
        // already disconnected
      }
    }
    await engine.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('authenticates srf over TLS and over the plain port', async () => {
    const tlsPort = engine.control.tlsPort;
    assert.ok(tlsPort !== undefined);
    const overTls = await connect({
      host: '127.0.0.1',
      port: tlsPort,
      secret: 'cymru',
      tls: { rejectUnauthorized: false },
    });
    srfs.push(overTls.srf);
    assert.equal(overTls.err, null);
    assert.match(overTls.hostport, /^udp\/127\.0\.0\.1:\d+$/);
    const plain = await connect({ host: '127.0.0.1', port: engine.control.port, secret: 'cymru' });
    srfs.push(plain.srf);
    assert.equal(plain.err, null);
  });

  it('refuses a wrong secret over TLS', async () => {
    const tlsPort = engine.control.tlsPort ?? 0;
    const bad = await connect({
      host: '127.0.0.1',
      port: tlsPort,
      secret: 'nope',
      tls: { rejectUnauthorized: false },
    });
    srfs.push(bad.srf);
    assert.match(String(bad.err), /failed to authenticate/);
  });
});
