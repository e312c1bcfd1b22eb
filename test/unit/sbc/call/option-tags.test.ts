import assert from 'node:assert/strict';
import { withOptionTags } from '../../../../lib/sbc/call/attempt';

describe('sbc/call option tags on the callee INVITE', () => {
  it('merges the caller’s 100rel into a trunk’s Supported: timer', () => {
    assert.deepEqual(withOptionTags({ Supported: 'timer', 'Min-SE': '90' }, { Supported: '100rel' }), {
      Supported: 'timer, 100rel',
      'Min-SE': '90',
    });
  });

  it('matches header names case-insensitively and never repeats a tag', () => {
    assert.deepEqual(withOptionTags({ supported: 'timer, 100rel' }, { Supported: '100REL' }), {
      supported: 'timer, 100rel',
    });
  });

  it('adds a header that was not there and leaves an empty extra alone', () => {
    assert.deepEqual(withOptionTags({}, { Require: '100rel' }), { Require: '100rel' });
    assert.deepEqual(withOptionTags({ Supported: 'timer' }, {}), { Supported: 'timer' });
  });
});
