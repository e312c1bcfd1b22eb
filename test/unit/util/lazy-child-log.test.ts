import { strict as assert } from 'node:assert';
import { Writable } from 'node:stream';
import { createLogger, type LogLevel } from '../../../lib/observe/logger';
import { LazyChildLog } from '../../../lib/util/lazy-child-log';

/** A pino logger at `level` writing its JSON records into `records`. */
function capture(level: LogLevel): {
  log: ReturnType<typeof createLogger>;
  records: Record<string, unknown>[];
} {
  const records: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString('utf8').split('\n').filter(Boolean))
        records.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return { log: createLogger({ level, instanceId: 't', destination }), records };
}

describe('util/lazy-child-log', () => {
  it('makes the child on the first written record, once, and every record carries its bindings', async () => {
    const { log, records } = capture('info');
    let children = 0;
    const parent = Object.assign(Object.create(log) as typeof log, {
      child: (b: Record<string, unknown>) => {
        children++;
        return log.child(b);
      },
    });
    const lazy = new LazyChildLog(parent, { call: 'c-1', sipCallId: 'abc@host' });
    lazy.debug({ detail: 1 }, 'filtered');
    lazy.trace('filtered too');
    assert.equal(children, 0, 'a level that is not written makes no child');
    lazy.info({ by: 'caller' }, 'call ended');
    lazy.warn('second');
    assert.equal(children, 1);
    await new Promise((r) => setImmediate(r));
    log.flush();
    await new Promise((r) => setTimeout(r, 20));
    assert.deepEqual(
      records.map((r) => [r.level, r.msg, r.call, r.sipCallId, r.by]),
      [
        ['info', 'call ended', 'c-1', 'abc@host', 'caller'],
        ['warn', 'second', 'c-1', 'abc@host', undefined],
      ],
    );
  });

  it('writes debug records when the parent writes that level', async () => {
    const { log, records } = capture('debug');
    const lazy = new LazyChildLog(log, { call: 'c-2' });
    assert.equal(lazy.isLevelEnabled('debug'), true);
    assert.equal(lazy.isLevelEnabled('trace'), false);
    lazy.debug({ n: 1 }, 'kept');
    lazy.child({ leg: 'caller' }).info('from a grandchild');
    log.flush();
    await new Promise((r) => setTimeout(r, 20));
    assert.deepEqual(
      records.map((r) => [r.msg, r.call, r.leg]),
      [
        ['kept', 'c-2', undefined],
        ['from a grandchild', 'c-2', 'caller'],
      ],
    );
  });
});
