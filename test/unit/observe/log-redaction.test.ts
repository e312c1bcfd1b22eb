import { strict as assert } from 'node:assert';
import { Writable } from 'node:stream';
import { LOG_CENSOR, redactSecrets } from '../../../lib/observe/log-redaction';
import { createLogger } from '../../../lib/observe/logger';

describe('observe/log-redaction', () => {
  it('returns the very record when it holds no secret (nothing copied)', () => {
    const record = { call: 'c-1', legs: { caller: { uri: 'sip:a@b', media: { packets: [1, 2] } } } };
    assert.equal(redactSecrets(record), record);
  });

  it('censors secret keys at the top and in nested objects and arrays, leaving the original as it was', () => {
    const record = {
      password: 'p0',
      user: { name: 'u', secret: 's1' },
      trunks: [{ name: 't', auth: { passwordFile: '/run/x', authorization: 'Digest y' } }],
      key: undefined,
    };
    const out = redactSecrets(record);
    assert.deepEqual(out, {
      password: LOG_CENSOR,
      user: { name: 'u', secret: LOG_CENSOR },
      trunks: [{ name: 't', auth: { passwordFile: LOG_CENSOR, authorization: LOG_CENSOR } }],
      key: undefined,
    });
    assert.equal(record.password, 'p0');
    assert.equal(record.user.secret, 's1');
    assert.equal(record.trunks[0]?.auth.authorization, 'Digest y');
  });

  it('searches four levels (a top-level key and three levels of nesting), as `*.*.*.key` did', () => {
    const atLimit = { a: { b: { c: { key: 'k' } } } };
    assert.equal(redactSecrets(atLimit).a.b.c.key, LOG_CENSOR);
    const below = { a: { b: { c: { d: { key: 'k' } } } } };
    assert.equal(redactSecrets(below), below);
  });

  it('leaves class instances (errors, buffers) to their serializers', () => {
    const err = Object.assign(new Error('boom'), { secret: 'inside' });
    const record = { err, body: Buffer.from('x') };
    assert.equal(redactSecrets(record), record);
  });

  it('redacts what the logger writes: record fields and a child logger bindings', async () => {
    const lines: string[] = [];
    const destination = new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
        done();
      },
    });
    const log = createLogger({ level: 'info', instanceId: 't', destination });
    log
      .child({ registrar: { secret: 'bound' } })
      .info({ creds: { user: 'u', password: 'pw' }, plain: 1 }, 'm');
    await new Promise((r) => setImmediate(r));
    log.flush();
    assert.equal(lines.length, 1);
    const text = lines[0] ?? '';
    assert.ok(!text.includes('bound') && !text.includes('"pw"'), text);
    const record = JSON.parse(text) as {
      registrar: { secret: string };
      creds: { user: string; password: string };
    };
    assert.equal(record.registrar.secret, LOG_CENSOR);
    assert.deepEqual(record.creds, { user: 'u', password: LOG_CENSOR });
  });
});
