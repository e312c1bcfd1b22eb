import { strict as assert } from 'node:assert';
import { Metrics } from '../../../lib/observe/metrics';
import { engineMetrics } from '../../../lib/observe/engine-metrics';

describe('observe/engine-metrics', () => {
  it('exposes the engine safety net tally as palisade_engine_dialogs_swept_total by reason', async () => {
    const metrics = new Metrics({ version: 't', commit: 'c', node: 'n' });
    const swept = { orphaned: 0, idle: 0 };
    engineMetrics(metrics, () => Promise.resolve(swept));
    let text = await metrics.registry.metrics();
    assert.match(text, /^palisade_engine_dialogs_swept_total\{reason="idle"\} 0$/m);
    swept.orphaned = 3;
    swept.idle = 1;
    text = await metrics.registry.metrics();
    assert.match(text, /^palisade_engine_dialogs_swept_total\{reason="orphaned"\} 3$/m);
    assert.match(text, /^palisade_engine_dialogs_swept_total\{reason="idle"\} 1$/m);
    swept.idle = 2; // read at each scrape, never double counted
    text = await metrics.registry.metrics();
    assert.match(text, /^palisade_engine_dialogs_swept_total\{reason="idle"\} 2$/m);
  });
});
