import { strict as assert } from 'node:assert';
import { EMPTY_LIST, appended, without } from '../../../lib/util/short-list';

describe('util/short-list', () => {
  it('appends at the end without touching the input', () => {
    const one = appended(EMPTY_LIST, 'a');
    const two = appended(one, 'b');
    const four = appended(appended(two, 'c'), 'd');
    assert.deepEqual([one, two, four], [['a'], ['a', 'b'], ['a', 'b', 'c', 'd']]);
    assert.deepEqual(EMPTY_LIST, []);
  });

  it('removes every occurrence and returns the list itself when the item is absent', () => {
    const list = ['a', 'b', 'a', 'c'];
    assert.deepEqual(without(list, 'a'), ['b', 'c']);
    assert.equal(without(list, 'x'), list);
    assert.deepEqual(without(['a', 'b'], 'a'), ['b']);
    assert.deepEqual(without(['a', 'b'], 'b'), ['a']);
    assert.deepEqual(without(['a', 'a'], 'a'), []);
    assert.equal(without(['a'], 'a'), EMPTY_LIST);
    assert.ok(Object.isFrozen(EMPTY_LIST));
  });
});
