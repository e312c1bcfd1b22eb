import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildConfigSchema } from '../../../lib/config/schema/root';
import { keyPaths } from '../../../lib/config/schema-walk';

const DOC = join(__dirname, '../../../../docs/configuration.md');

describe('docs/configuration.md', () => {
  it('documents every configuration key', () => {
    const doc = readFileSync(DOC, 'utf8');
    const schema = buildConfigSchema({ env: {}, readFile: () => '' });
    const missing = keyPaths(schema).filter((path) => !doc.includes(`\`${path}\``));
    assert.deepEqual(missing, []);
  });
});
