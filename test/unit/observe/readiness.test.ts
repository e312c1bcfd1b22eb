import assert from 'node:assert/strict';
import { Readiness } from '../../../lib/observe/readiness';

describe('Readiness', () => {
  it('is ready only while every required dependency is up', () => {
    const r = new Readiness();
    r.declare('engine', true);
    r.declare('rtpengine', true);
    r.declare('optional-thing', false);
    assert.equal(r.snapshot().ready, false);
    r.report('engine', true, 'connected');
    assert.equal(r.snapshot().ready, false);
    r.report('rtpengine', true, 'pong');
    assert.equal(r.snapshot().ready, true, 'an optional dependency that is down does not block readiness');
    r.report('rtpengine', false, 'timeout');
    const snap = r.snapshot();
    assert.equal(snap.ready, false);
    assert.deepEqual(
      { up: snap.dependencies.rtpengine?.up, detail: snap.dependencies.rtpengine?.detail },
      { up: false, detail: 'timeout' },
    );
  });

  it('reports not ready once draining, whatever the dependencies say', () => {
    const r = new Readiness();
    r.declare('state', true);
    r.report('state', true, 'ok');
    assert.equal(r.snapshot().ready, true);
    r.startDraining();
    assert.deepEqual([r.snapshot().ready, r.snapshot().draining], [false, true]);
  });

  it('notifies listeners on changes only', () => {
    const r = new Readiness();
    r.declare('state', true);
    const seen: string[] = [];
    r.onChange((name, s) => seen.push(`${name}:${s.up}:${s.detail}`));
    r.report('state', true, 'ok');
    r.report('state', true, 'ok');
    r.report('state', false, 'lost');
    assert.deepEqual(seen, ['state:true:ok', 'state:false:lost']);
  });

  it('rejects reports for undeclared dependencies', () => {
    assert.throws(() => {
      new Readiness().report('nope', true, '');
    }, /undeclared dependency "nope"/);
  });
});
