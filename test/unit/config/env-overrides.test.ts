import assert from 'node:assert/strict';
import { failure, load } from './helpers';

describe('config environment overrides', () => {
  it('overrides nested keys, case-insensitively, with type coercion', () => {
    const config = load('log: { level: info }', {
      env: {
        PALISADE_LOG__LEVEL: 'debug',
        PALISADE_MEDIA__SPAWNLOCAL: 'false',
        PALISADE_MEDIA__RTPENGINES: '[{ ng: "10.0.0.5:22222", weight: 3 }]',
        PALISADE_OBSERVE__HTTP__PORT: '9100',
        PALISADE_STATE__BACKEND: 'redis',
        PALISADE_STATE__URL: 'redis://redis:6379',
        HOME: '/root',
      },
    });
    assert.equal(config.log.level, 'debug');
    assert.equal(config.media.spawnLocal, false);
    assert.deepEqual(config.media.rtpengines, [{ ng: '10.0.0.5:22222', weight: 3 }]);
    assert.equal(config.observe.http.port, 9100);
    assert.ok(config.state.backend === 'redis');
    assert.equal(config.state.url, 'redis://redis:6379');
  });

  it('indexes arrays, including the default ones, and appends at the end', () => {
    const config = load('', {
      env: {
        PALISADE_SIP__LISTEN__0__PORT: '5070',
        PALISADE_SIP__LISTEN__0__ADVERTISE: '203.0.113.10',
        PALISADE_SIP__LISTEN__2__TRANSPORT: 'ws',
        PALISADE_SIP__LISTEN__2__PORT: '8080',
      },
    });
    assert.deepEqual(
      config.sip.listen.map((l) => `${l.transport}:${l.port}:${l.advertise ?? '-'}`),
      ['udp:5070:203.0.113.10', 'tcp:5060:-', 'ws:8080:-'],
    );
  });

  it('keeps text fields as text', () => {
    const config = load('', {
      env: { PALISADE_INSTANCE__ID: '007', PALISADE_ENGINE__CONTROL__SECRET: '0123' },
    });
    assert.equal(config.instance.id, '007');
    assert.ok(config.engine.mode === 'embedded');
    assert.equal(config.engine.control.secret, '0123');
  });

  it('an unknown key is an error naming the variable', () => {
    const error = failure('', { env: { PALISADE_LOG__LEVLE: 'debug', PALISADE_NOPE: '1' } });
    assert.deepEqual(
      error.issues.map((i) => i.path),
      ['PALISADE_LOG__LEVLE', 'PALISADE_NOPE'],
    );
    assert.match(
      error.issues[0]!.message,
      /unknown configuration key "levle" under log \(known keys: level, sipMessages\)/,
    );
  });

  it('bad indexes and values are errors naming the variable', () => {
    const error = failure('', {
      env: { PALISADE_SIP__LISTEN__7__PORT: '1', PALISADE_SIP__LISTEN__X: '1', PALISADE_TRUNKS: '[1, 2' },
    });
    assert.deepEqual(
      error.issues.map((i) => i.path),
      ['PALISADE_SIP__LISTEN__7__PORT', 'PALISADE_SIP__LISTEN__X', 'PALISADE_TRUNKS'],
    );
    assert.match(
      error.issues[0]!.message,
      /index 7 is past the end of sip.listen \(2 entries; use 2 to append\)/,
    );
    assert.match(error.issues[2]!.message, /^value is not valid YAML/);
  });

  it('validation errors on overridden values name the variable', () => {
    const error = failure('', { env: { PALISADE_SIP__LISTEN__0__PORT: 'high' } });
    assert.equal(
      error.message,
      'sip.listen[0].port: expected a number, got a string (set by PALISADE_SIP__LISTEN__0__PORT)',
    );
  });

  it('PALISADE_CONFIG is not an override', () => {
    assert.equal(load('', { env: { PALISADE_CONFIG: '/ignored-because-yamlText-given' } }).log.level, 'info');
  });
});
