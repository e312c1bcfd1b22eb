import { strict as assert } from 'node:assert';
import { ConfigError, loadConfig } from '../../../lib/config';

const load = (yaml: string) => loadConfig({ yamlText: yaml, env: {} });

function issues(yaml: string): string[] {
  try {
    load(yaml);
  } catch (e) {
    if (e instanceof ConfigError) return e.issues.map((i) => `${i.path}: ${i.message}`);
    throw e;
  }
  return [];
}

describe('config nat', () => {
  it('defaults: detection on, adaptive OPTIONS keepalives from 15 s, ALG detection on', () => {
    const { nat } = load('');
    assert.equal(nat.enabled, true);
    assert.deepEqual(nat.keepalive, {
      enabled: true,
      method: 'options',
      mode: 'adaptive',
      intervalSeconds: 15,
      minSeconds: 5,
      maxSeconds: 300,
      maxMissed: 3,
      timeoutSeconds: 5,
    });
    assert.equal(nat.media.ice, 'remove');
    assert.equal(nat.alg.detect, true);
    assert.equal(nat.alg.secret, undefined);
  });

  it('crlf keepalives need the embedded engine; an interval outside min..max is refused', () => {
    assert.deepEqual(issues('nat: { keepalive: { method: crlf } }'), []);
    const external = 'engine: { mode: external, host: 127.0.0.1, secret: s }';
    const crlf = issues(`${external}\nnat: { keepalive: { method: crlf } }`);
    assert.equal(crlf.length, 1);
    assert.match(crlf[0] ?? '', /^nat\.keepalive\.method: crlf keepalives need the embedded engine/);
    assert.deepEqual(issues(`${external}\nnat: { keepalive: { method: crlf, enabled: false } }`), []);
    assert.match(
      issues('nat: { keepalive: { intervalSeconds: 2 } }')[0] ?? '',
      /intervalSeconds: must be within/,
    );
  });

  it('reads the ALG secret from the environment and networks as CIDRs', () => {
    const c = loadConfig({
      yamlText: 'nat: { alg: { secret: { env: ALG_KEY } }, publicNetworks: [ 10.0.0.0/8 ] }',
      env: { ALG_KEY: 'sekrit' },
    });
    assert.equal(c.nat.alg.secret, 'sekrit');
    assert.deepEqual(c.nat.publicNetworks, ['10.0.0.0/8']);
    assert.equal(issues('nat: { internalNetworks: [ nonsense ] }').length, 1);
  });
});
