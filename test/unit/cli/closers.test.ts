import assert from 'node:assert/strict';
import { Closers } from '../../../lib/cli/closers';
import { silentLog } from '../../../lib/util/logger';

describe('Closers', () => {
  it('closes in reverse order, continues past failures and hung steps, and is idempotent', async () => {
    const order: string[] = [];
    const c = new Closers(silentLog, 50);
    c.add('first', () => {
      order.push('first');
    });
    c.add('hangs', () => new Promise<void>(() => order.push('hangs')));
    c.add('fails', () => {
      order.push('fails');
      throw new Error('boom');
    });
    c.add('last', () => {
      order.push('last');
    });
    await Promise.all([c.closeAll(), c.closeAll()]);
    assert.deepEqual(order, ['last', 'fails', 'hangs', 'first']);
  });
});
