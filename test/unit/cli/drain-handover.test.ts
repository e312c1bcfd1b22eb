/** The drain starts the flow hand-over once (ADR 0006); a failing hand-over does not stop the drain. */
import assert from 'node:assert/strict';
import { DrainController, type Drainable } from '../../../lib/cli/drain';
import { FakeClock } from '../../../lib/util/clock';
import { capturingLog } from '../../support/capture-log';

const app = (): Drainable => ({
  activeCalls: 1,
  startDraining: () => undefined,
  endAll: () => Promise.resolve(),
});

describe('DrainController hand-over', () => {
  it('hands over once, at the start of the drain', async () => {
    let handedOver = 0;
    const drain = new DrainController({
      target: app(),
      markNotReady: () => undefined,
      handOver: () => {
        handedOver++;
        return Promise.resolve();
      },
      defaultDeadlineSeconds: 30,
      clock: new FakeClock(),
      log: capturingLog().log,
    });
    assert.equal(handedOver, 0, 'not while serving');
    drain.start();
    drain.start(10);
    await new Promise((r) => setImmediate(r));
    assert.equal(handedOver, 1);
  });

  it('a failed hand-over is logged and the drain goes on', async () => {
    const captured = capturingLog();
    const drain = new DrainController({
      target: app(),
      markNotReady: () => undefined,
      handOver: () => Promise.reject(new Error('redis down')),
      defaultDeadlineSeconds: 30,
      clock: new FakeClock(),
      log: captured.log,
    });
    assert.equal(drain.start().phase, 'draining');
    await new Promise((r) => setImmediate(r));
    assert.ok(captured.lines.some((l) => l.level === 'warn' && l.msg === 'drain hand-over failed'));
    assert.equal(drain.status().phase, 'draining');
  });
});
