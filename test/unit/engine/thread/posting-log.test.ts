import { strict as assert } from 'node:assert';
import { postingLog } from '../../../../lib/engine/thread/posting-log';
import type { FromWorker } from '../../../../lib/engine/thread/thread-protocol';

describe('engine/thread/posting-log', () => {
  it('posts records at or above the level with child bindings, drops those below', () => {
    const posted: FromWorker[] = [];
    const log = postingLog((m) => posted.push(m), 'info').child({ component: 'engine' });
    log.debug({ n: 1 }, 'dropped');
    log.info({ n: 2 }, 'kept');
    log.error('plain message');
    assert.deepEqual(posted, [
      { type: 'log', level: 'info', obj: { component: 'engine', n: 2 }, msg: 'kept' },
      { type: 'log', level: 'error', obj: { component: 'engine' }, msg: 'plain message' },
    ]);
  });

  it('flattens errors so that they survive structured cloning', () => {
    const posted: FromWorker[] = [];
    postingLog((m) => posted.push(m), 'trace').warn({ err: new TypeError('boom') }, 'failed');
    const m = posted[0];
    assert.ok(m?.type === 'log');
    const err = m.obj['err'] as { name: string; message: string };
    assert.equal(Object.getPrototypeOf(err), Object.prototype);
    assert.deepEqual([err.name, err.message], ['TypeError', 'boom']);
    assert.deepEqual(structuredClone(m), m);
  });

  it('silent posts nothing', () => {
    const posted: FromWorker[] = [];
    const log = postingLog((m) => posted.push(m), 'silent');
    log.fatal('x');
    assert.equal(posted.length, 0);
  });
});
