import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runCli } from '../../../lib/cli/main';
import type { CommandIo } from '../../../lib/cli/commands/command';
import { examplesDir } from '../../support/repo';

function capture(): CommandIo & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (l) => stdout.push(l), err: (l) => stderr.push(l) };
}

const tmp = mkdtempSync(path.join(tmpdir(), 'palisade-cli-'));

describe('palisade CLI', () => {
  for (const command of ['start', 'check-config', 'version']) {
    it(`prints help for '${command} --help' and exits 0`, async () => {
      const io = capture();
      assert.equal(await runCli([command, '--help'], io), 0);
      assert.match(io.stdout.join('\n'), new RegExp(`^Usage: palisade ${command}`));
    });
  }

  it('prints the command list for --help and help', async () => {
    for (const argv of [['--help'], ['help']]) {
      const io = capture();
      assert.equal(await runCli(argv, io), 0);
      assert.match(io.stdout.join('\n'), /Commands:\n {2}start/);
    }
  });

  it('gives a one-line error and exit 2 for unknown commands and flags', async () => {
    for (const argv of [
      ['frobnicate'],
      ['start', '--bogus'],
      ['check-config', 'a.yaml', '--nope'],
      ['version', 'extra'],
    ]) {
      const io = capture();
      assert.equal(await runCli(argv, io), 2, argv.join(' '));
      assert.equal(io.stderr.length, 1, io.stderr.join('|'));
      assert.match(io.stderr[0] ?? '', /^palisade: /);
    }
  });

  it('exits 2 with one line for a missing configuration file', async () => {
    for (const argv of [
      ['check-config', path.join(tmp, 'missing.yaml')],
      ['start', '--config', path.join(tmp, 'missing.yaml')],
    ]) {
      const io = capture();
      assert.equal(await runCli(argv, io), 2);
      assert.equal(io.stderr.length, 1);
      assert.match(io.stderr[0] ?? '', /missing\.yaml/);
    }
  });

  it('check-config accepts the shipped quick-start example', async () => {
    const io = capture();
    assert.equal(await runCli(['check-config', path.join(examplesDir, 'quickstart.yaml')], io), 0);
    assert.match(io.stdout.join('\n'), /quickstart\.yaml: OK/);
  });

  it('check-config lists every problem with its key path and exits 1', async () => {
    const file = path.join(tmp, 'bad.yaml');
    writeFileSync(
      file,
      [
        'sip:',
        '  listen: [ { transport: udp, port: 99999 } ]',
        'trunks:',
        '  - name: carrier-a',
        '    outbound: { gateways: [ { uri: "http://example.com" } ] }',
        'stat: {}',
      ].join('\n'),
    );
    const io = capture();
    assert.equal(await runCli(['check-config', file], io), 1);
    const text = io.stderr.join('\n');
    assert.match(text, /sip\.listen\[0\]\.port: /);
    assert.match(text, /trunks\[0\]\.outbound\.gateways\[0\]\.uri: not a SIP URI/);
    assert.match(text, /stat/);
  });

  it('check-config --print shows the effective configuration with secrets redacted', async () => {
    const file = path.join(tmp, 'secret.yaml');
    writeFileSync(file, 'engine: { mode: embedded, control: { secret: hunter2-very-secret } }\n');
    const io = capture();
    assert.equal(await runCli(['check-config', file, '--print'], io), 0);
    const text = io.stdout.join('\n');
    assert.doesNotMatch(text, /hunter2/);
    assert.match(text, /"secret": "\[redacted\]"/);
  });

  it('version prints the package version', async () => {
    const io = capture();
    assert.equal(await runCli(['version'], io), 0);
    assert.match(io.stdout[0] ?? '', /^palisade \d+\.\d+\.\d+ \(commit \S+, node v\d+/);
  });
});
