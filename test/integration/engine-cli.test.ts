/**
 * `palisade engine` as a drop-in for drachtio-server: spawned with drachtio's option names, a
 * real drachtio-srf app connects and answers a real sipp OPTIONS; SIGTERM stops it cleanly; bad
 * flags are a one-line usage error with exit code 2.
 */
import assert from 'node:assert/strict';
import Srf from 'drachtio-srf';
import { runPalisade } from '../support/palisade-process';
import { freeSipPort, freeTcpPort } from '../support/ports';
import { runSipp } from '../support/sipp';
import { eventually } from '../support/http';

function connectApp(port: number, secret: string): Promise<Srf> {
  const srf = new Srf();
  srf.use('options', (_req, res) => {
    res.send(200);
  });
  return new Promise((resolve, reject) => {
    srf.on('connect', (err: Error | null) => {
      if (err) reject(err);
      else resolve(srf);
    });
    void srf.connect({ host: '127.0.0.1', port, secret });
  });
}

describe('palisade engine (standalone, drachtio-server option names)', function () {
  this.timeout(60_000);

  it('runs with --port/--secret/--contact, serves a real srf app and sipp, stops on SIGTERM', async () => {
    const control = await freeTcpPort();
    const sip = await freeSipPort();
    const p = runPalisade([
      'engine',
      '--port',
      String(control),
      '--address',
      '127.0.0.1',
      '--secret',
      's',
      '--contact',
      `sip:127.0.0.1:${sip};transport=udp`,
      '--loglevel',
      'warning',
    ]);
    let srf: Srf | undefined;
    try {
      // The banner arrives in several writes: wait for the listener line too.
      await eventually(() => {
        assert.match(p.stderr(), /palisade engine is running/);
        assert.match(p.stderr(), new RegExp(`udp:127\\.0\\.0\\.1:${sip}`));
      }, 15_000);
      srf = await connectApp(control, 's');
      const r = await runSipp({
        scenario: 'options-uac.xml',
        remote: { host: '127.0.0.1', port: sip },
        calls: 3,
        timeoutMs: 15_000,
      });
      assert.equal(r.outcome, 'all-succeeded', r.output + r.errors);
    } finally {
      srf?.removeAllListeners();
      try {
        srf?.disconnect();
      } catch {
        // already gone
      }
      p.child.kill('SIGTERM');
    }
    const exit = await p.exited;
    assert.equal(exit.code, 0, p.stderr());
  });

  for (const [args, pattern] of [
    [['engine', '--bogus'], /Unknown option '--bogus'/],
    [['engine', '--port', 'x', '--secret', 's'], /--port 'x' is not a port/],
    [['engine', '--contact', 'sip:127.0.0.1;transport=sctp', '--secret', 's'], /unknown transport 'sctp'/],
    [['engine', '--port', '9022'], /--secret is required/],
  ] as const) {
    it(`exits 2 with one line for: ${args.slice(1).join(' ')}`, async () => {
      const p = runPalisade([...args]);
      const exit = await Promise.race([
        p.exited,
        new Promise<never>((_r, reject) =>
          setTimeout(() => {
            reject(new Error('did not exit'));
          }, 10_000),
        ),
      ]);
      assert.equal(exit.code, 2, p.stderr());
      const lines = p.stderr().trim().split('\n');
      assert.equal(lines.length, 1, p.stderr());
      assert.match(lines[0] ?? '', pattern);
    });
  }

  it('prints help with the drachtio option names', async () => {
    const p = runPalisade(['engine', '--help']);
    const exit = await p.exited;
    assert.equal(exit.code, 0);
    for (const flag of [
      '--port',
      '--address',
      '--secret',
      '--contact',
      '--external-ip',
      '--loglevel',
      '--config',
    ])
      assert.ok(p.stdout().includes(flag), flag);
  });
});
