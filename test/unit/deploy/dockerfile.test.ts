import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { loadConfig } from '../../../lib/config';
import { runCli } from '../../../lib/cli/main';
import { repoRoot } from '../../support/repo';
import { execForm, healthcheck, readDockerfile, type Instruction } from './dockerfile';

const CONFIG_PATH = '/etc/palisade/palisade.yaml';

function one(instructions: Instruction[], keyword: string, stage = 'runtime'): Instruction {
  const found = instructions.filter((i) => i.keyword === keyword && i.stage === stage);
  assert.equal(found.length, 1, `expected one ${keyword} in stage ${stage}`);
  return found[0]!;
}

function env(instructions: Instruction[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const i of instructions.filter((x) => x.keyword === 'ENV' && x.stage === 'runtime')) {
    const [, name = '', value = ''] = /^(\w+)=(.*)$/.exec(i.args) ?? [];
    out[name] = value;
  }
  return out;
}

/** Runs the HEALTHCHECK command (node -e …) against a server answering `status` on /health. */
async function healthcheckExit(command: string[], status: number): Promise<number> {
  const server = http.createServer((req, res) => {
    res.writeHead(req.url === '/health' ? status : 404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/health`;
  try {
    const [binary = '', ...args] = command;
    return await new Promise<number>((resolve) => {
      execFile(
        binary === 'node' ? process.execPath : binary,
        args,
        { env: { HEALTHCHECK_URL: url } },
        (error) => {
          resolve(error === null ? 0 : typeof error.code === 'number' ? error.code : -1);
        },
      );
    });
  } finally {
    server.close();
  }
}

describe('Dockerfile', () => {
  const instructions = readDockerfile();
  const configDoc = instructions.find((i) => i.keyword === 'COPY' && i.args.endsWith(CONFIG_PATH));

  it('builds on node:20-bookworm-slim in three stages', () => {
    const froms = instructions.filter((i) => i.keyword === 'FROM').map((i) => i.stage);
    assert.deepEqual(froms, ['build', 'deps', 'runtime']);
    const arg = instructions.find((i) => i.keyword === 'ARG' && i.args.startsWith('NODE_IMAGE='));
    assert.equal(arg?.args, 'NODE_IMAGE=node:20-bookworm-slim');
  });

  it('copies only files that exist and are not excluded by .dockerignore', () => {
    const ignored = readFileSync(path.join(repoRoot, '.dockerignore'), 'utf8')
      .split('\n')
      .filter((l) => l.trim() !== '' && !l.startsWith('#'));
    const copies = instructions.filter(
      (i) => i.keyword === 'COPY' && !i.args.startsWith('--from') && !i.heredoc,
    );
    assert.ok(copies.length >= 5);
    for (const copy of copies) {
      const sources = copy.args.split(/\s+/).slice(0, -1);
      for (const source of sources) {
        assert.ok(existsSync(path.join(repoRoot, source)), `COPY ${source}: no such file`);
        assert.ok(
          !ignored.includes(source.split('/')[0] ?? ''),
          `COPY ${source} is excluded by .dockerignore`,
        );
      }
    }
  });

  it('runs `palisade start --config /etc/palisade/palisade.yaml` under tini as a non-root user', async () => {
    const entrypoint = execForm(one(instructions, 'ENTRYPOINT').args);
    const cmd = execForm(one(instructions, 'CMD').args);
    assert.deepEqual(entrypoint, ['/usr/bin/tini', '--', 'palisade']);
    assert.deepEqual(cmd, ['start', '--config', CONFIG_PATH]);
    assert.ok(existsSync(path.join(repoRoot, 'bin', 'palisade')));
    const help: string[] = [];
    const code = await runCli([cmd[0]!, '--help'], { out: (l) => help.push(l), err: (l) => help.push(l) });
    assert.equal(code, 0);
    assert.ok(help.join('\n').includes('--config'), 'start has no --config option');
    assert.match(one(instructions, 'USER').args, /^[1-9]\d*(:\d+)?$/);
    const runs = instructions.filter((i) => i.keyword === 'RUN' && i.stage === 'runtime');
    assert.ok(
      runs.some((r) => /apt-get install[^;]*\$packages/.test(r.args) && r.args.includes('packages="tini"')),
    );
  });

  it('its built-in configuration is valid, serves /health on all interfaces and matches EXPOSE', () => {
    assert.ok(configDoc?.heredoc !== undefined, `no heredoc COPY to ${CONFIG_PATH}`);
    const config = loadConfig({ yamlText: configDoc.heredoc, env: {} });
    assert.equal(config.observe.http.address, '0.0.0.0');
    const exposed = one(instructions, 'EXPOSE').args.split(/\s+/);
    assert.ok(exposed.includes(`${config.observe.http.port}/tcp`));
    for (const l of config.sip.listen) {
      assert.ok(
        exposed.includes(`${l.port}/${l.transport === 'udp' ? 'udp' : 'tcp'}`),
        `${l.transport}:${l.port}`,
      );
    }
    const url = new URL(env(instructions).HEALTHCHECK_URL ?? '');
    assert.equal(url.pathname, '/health');
    assert.equal(Number(url.port), config.observe.http.port);
    assert.ok(
      readFileSync(path.join(repoRoot, 'lib/observe/http-server.ts'), 'utf8').includes("case '/health':"),
    );
  });

  it('sets no PALISADE_ variable (they would override every mounted configuration)', () => {
    assert.deepEqual(
      Object.keys(env(instructions)).filter((n) => n.startsWith('PALISADE_')),
      [],
    );
  });

  it('its HEALTHCHECK command passes on 200 and fails on 503', async () => {
    const { options, command } = healthcheck(one(instructions, 'HEALTHCHECK').args);
    assert.ok(options.interval !== undefined && options.timeout !== undefined);
    assert.equal(await healthcheckExit(command, 200), 0);
    assert.equal(await healthcheckExit(command, 503), 1);
  });
});
