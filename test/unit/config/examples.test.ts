import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { defaultConfig, loadConfig, redactConfig, type Config } from '../../../lib/config';

const EXAMPLES = join(__dirname, '../../../../deploy/examples');

/** Reads real files, except Kubernetes-style mounted secrets which the test supplies. */
function readWithSecrets(path: string): string {
  return path.startsWith('/run/secrets/') ? `value-of-${path}\n` : readFileSync(path, 'utf8');
}

function withoutRandomness(config: Config): unknown {
  return { ...redactConfig(config), instance: undefined };
}

describe('example configurations', () => {
  it('quickstart.yaml loads and is what defaultConfig() gives', () => {
    const config = loadConfig({ file: join(EXAMPLES, 'quickstart.yaml'), env: {} });
    assert.deepEqual(withoutRandomness(config), withoutRandomness(defaultConfig()));
    assert.equal(config.media.spawnLocal, true);
    assert.deepEqual(config.observe.http, { address: '127.0.0.1', port: 9090 });
  });

  it('carriers-and-pbx.yaml loads with its secrets from files', () => {
    const config = loadConfig({
      file: join(EXAMPLES, 'carriers-and-pbx.yaml'),
      env: {},
      readFile: readWithSecrets,
    });
    assert.deepEqual(
      config.trunks.map((t) => t.name),
      ['carrier-a', 'carrier-b', 'acme-pbx'],
    );
    assert.ok(config.state.backend === 'redis');
    assert.equal(config.state.password, 'value-of-/run/secrets/redis-password');
    assert.ok(config.sip.listen.some((l) => l.transport === 'tls' && l.advertise !== undefined));
    const names = new Set(config.trunks.map((t) => t.name));
    assert.ok(config.routes.every(({ to }) => to === 'registered' || names.has(to.trunk)));
  });
});
