import assert from 'node:assert/strict';
import { TransactionError } from '../../../../lib/sip/transaction/errors';
import { TransactionTable } from '../../../../lib/sip/transaction/table';

describe('TransactionTable', () => {
  it('adds, finds and removes by key', () => {
    const table = new TransactionTable<string, number>(10);
    assert.deepEqual(table.add('a', 1), { ok: true, value: undefined });
    assert.equal(table.find('a'), 1);
    assert.equal(table.has('a'), true);
    assert.equal(table.find('b'), undefined);
    assert.equal(table.size, 1);
    assert.equal(table.remove('a'), true);
    assert.equal(table.remove('a'), false);
    assert.equal(table.find('a'), undefined);
    assert.equal(table.size, 0);
  });

  it('refuses a duplicate key and keeps the first entry', () => {
    const table = new TransactionTable<string, string>(10);
    table.add('k', 'first');
    const result = table.add('k', 'second');
    assert.equal(result.ok, false);
    assert.equal(result.error.code, 'TXN_DUPLICATE_KEY');
    assert.equal(table.find('k'), 'first');
  });

  it('refuses new entries at the cap with a 503, and accepts them again after a removal', () => {
    const table = new TransactionTable<string, number>(2);
    table.add('a', 1);
    table.add('b', 2);
    assert.equal(table.full, true);
    const refused = table.add('c', 3);
    assert.equal(refused.ok, false);
    assert.ok(refused.error instanceof TransactionError);
    assert.equal(refused.error.code, 'TXN_TABLE_FULL');
    assert.equal(refused.error.sipStatus, 503);
    assert.equal(table.find('c'), undefined);
    table.remove('a');
    assert.equal(table.add('c', 3).ok, true);
    assert.deepEqual([...table.values()], [2, 3]);
  });

  it('rejects a capacity that is not a positive integer', () => {
    for (const bad of [0, -1, 1.5, Number.NaN]) {
      assert.throws(() => new TransactionTable(bad), { code: 'TXN_BAD_TABLE_CAPACITY' });
    }
  });
});
