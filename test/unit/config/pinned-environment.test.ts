import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { pinEnvironment } from '../../../lib/config';

describe('config/pinned-environment', () => {
  const original = process.env;
  afterEach(() => {
    process.env = original;
  });

  it('replaces process.env with a plain copy holding the same variables', () => {
    const before = { ...process.env };
    pinEnvironment();
    assert.notEqual(process.env, original);
    assert.equal(Object.getPrototypeOf(process.env), Object.prototype);
    assert.deepEqual({ ...process.env }, before);
  });

  it('still hands its variables to child processes', () => {
    pinEnvironment();
    process.env.PALISADE_PIN_TEST = 'seen';
    const r = spawnSync('/bin/sh', ['-c', 'echo "$PALISADE_PIN_TEST"'], { encoding: 'utf8' });
    assert.equal(r.stdout.trim(), 'seen');
    assert.equal(original.PALISADE_PIN_TEST, undefined, 'the real environment is left as it was');
  });
});
