import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../../lib/config';
import { failure } from './helpers';

describe('config sources: files and YAML', () => {
  it('reads a file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'palisade-config-'));
    const file = join(dir, 'palisade.yaml');
    writeFileSync(file, 'log: { level: debug }\n');
    assert.equal(loadConfig({ file, env: {} }).log.level, 'debug');
  });

  it('missing file → CONFIG_FILE naming the path', () => {
    const error = failure(undefined, { file: '/nonexistent/palisade.yaml' });
    assert.equal(error.code, 'CONFIG_FILE');
    assert.equal(error.message, '/nonexistent/palisade.yaml: cannot read configuration file (no such file)');
  });

  it('YAML syntax error → CONFIG_YAML with line and column', () => {
    const error = failure('log:\n  level: info\nsip: { listen: [ }\n');
    assert.equal(error.code, 'CONFIG_YAML');
    const issue = error.issues[0]!;
    assert.equal(issue.line, 3);
    assert.equal(typeof issue.column, 'number');
    assert.match(error.message, /^<yaml>:3:\d+: YAML syntax error: /);
  });

  it('names the file in YAML errors and reports duplicate keys', () => {
    const error = failure(undefined, {
      file: '/etc/p.yaml',
      readFile: () => 'log: { level: info }\nlog: {}\n',
    });
    assert.equal(error.code, 'CONFIG_YAML');
    assert.match(error.message, /^\/etc\/p\.yaml:2:1: YAML syntax error: Map keys must be unique/);
  });

  it('a document that is not a mapping is invalid', () => {
    const error = failure('- a\n- b\n');
    assert.equal(error.code, 'CONFIG_INVALID');
    assert.equal(error.issues[0]?.path, '(root)');
  });

  it('the error message has one line per issue', () => {
    const error = failure('log: { level: x }\nobserve: { http: { port: -1 } }');
    assert.equal(error.message.split('\n').length, 2);
    assert.equal(error.issues.length, 2);
  });
});
