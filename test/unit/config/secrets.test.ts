import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { redactConfig, REDACTED } from '../../../lib/config';
import { assertIssue, failure, load } from './helpers';

describe('config secrets', () => {
  const dir = mkdtempSync(join(tmpdir(), 'palisade-secrets-'));
  const passwordFile = join(dir, 'redis-password');
  writeFileSync(passwordFile, 'from-file-pw\n');

  it('resolves inline, { file } and { env } secrets to plain strings', () => {
    const config = load(
      `
engine: { mode: external, host: drachtio.internal, secret: { env: ENGINE_SECRET } }
state: { backend: redis, url: "redis://r:6379", password: { file: ${passwordFile} } }
sip: { listen: [{ transport: tls, port: 5061, cert: /c, key: /k, passphrase: inline-pass }] }`,
      { env: { ENGINE_SECRET: 'from-env-secret' } },
    );
    assert.ok(config.engine.mode === 'external' && config.state.backend === 'redis');
    assert.equal(config.engine.secret, 'from-env-secret');
    assert.equal(config.state.password, 'from-file-pw');
    assert.equal(config.sip.listen[0]?.passphrase, 'inline-pass');
  });

  it('a missing secret file or variable is an error at the key path', () => {
    assertIssue(
      'state: { backend: redis, url: "redis://r", password: { file: /nonexistent/pw } }',
      'state.password',
      'cannot read secret file "/nonexistent/pw" (no such file)',
    );
    assertIssue(
      'engine: { mode: external, host: h, secret: { env: NOT_SET } }',
      'engine.secret',
      'environment variable NOT_SET is not set',
    );
    assertIssue(
      'engine: { mode: external, host: h, secret: { path: /x } }',
      'engine.secret',
      'must be a string, { file: <path> } or { env: <VARIABLE> }',
    );
  });

  it('secret files can be named through the environment', () => {
    const config = load('state: { backend: redis, url: "redis://r:6379", password: inline }', {
      env: { PALISADE_STATE__PASSWORD__FILE: passwordFile },
    });
    assert.ok(config.state.backend === 'redis');
    assert.equal(config.state.password, 'from-file-pw');
  });

  it('redactConfig hides every secret and URL passwords, without touching the original', () => {
    const config = load(
      `
engine: { mode: external, host: h, secret: engine-secret-value }
state:
  backend: redis
  url: "redis://user:url-password-value@r:6379/0"
  password: redis-password-value
sip: { listen: [{ transport: tls, port: 5061, cert: /c, key: /k, passphrase: passphrase-value }] }`,
    );
    const redacted = redactConfig(config);
    const text = JSON.stringify(redacted);
    for (const secret of [
      'engine-secret-value',
      'url-password-value',
      'redis-password-value',
      'passphrase-value',
    ]) {
      assert.ok(!text.includes(secret), `${secret} leaked: ${text}`);
    }
    assert.ok(redacted.engine.mode === 'external' && redacted.state.backend === 'redis');
    assert.equal(redacted.engine.secret, REDACTED);
    assert.equal(redacted.state.url, 'redis://user:%5Bredacted%5D@r:6379/0');
    assert.equal(redacted.sip.listen[0]?.cert, '/c');
    assert.ok(config.engine.mode === 'external');
    assert.equal(config.engine.secret, 'engine-secret-value');
  });

  it('redacts the embedded engine secret and sentinel passwords', () => {
    const config = load(
      'state: { backend: redis, sentinels: { name: m, hosts: ["s1:26379"], password: sentinel-pw } }',
    );
    const text = JSON.stringify(redactConfig(config));
    assert.ok(config.engine.mode === 'embedded');
    assert.ok(!text.includes(config.engine.control.secret));
    assert.ok(!text.includes('sentinel-pw'));
  });

  it('error messages never echo a secret value', () => {
    const error = failure('engine: { mode: external, host: "not a host!", secret: [super-secret-value] }');
    assert.ok(!error.message.includes('super-secret-value'));
    assert.match(error.message, /engine\.secret: must be a string/);
  });
});
