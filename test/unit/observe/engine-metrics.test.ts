import { strict as assert } from 'node:assert';
import { Metrics } from '../../../lib/observe/metrics';
import { engineMetrics } from '../../../lib/observe/engine-metrics';

describe('observe/engine-metrics', () => {
  const start = (): {
    metrics: Metrics;
    swept: { orphaned: number; idle: number };
    shed: { transactions: number; lag: number; rate: number; busy: number };
    held: {
      transactions: { server: number; client: number };
      dialogs: number;
      heap: { usedBytes: number; totalBytes: number };
    };
  } => {
    const metrics = new Metrics({ version: 't', commit: 'c', node: 'n' });
    const swept = { orphaned: 0, idle: 0 };
    const shed = { transactions: 0, lag: 0, rate: 0, busy: 0 };
    const held = {
      transactions: { server: 0, client: 0 },
      dialogs: 0,
      heap: { usedBytes: 0, totalBytes: 0 },
    };
    engineMetrics(metrics, () => Promise.resolve({ swept, shed, ...held }));
    return { metrics, swept, shed, held };
  };

  it('exposes the engine safety net tally as palisade_engine_dialogs_swept_total by reason', async () => {
    const { metrics, swept } = start();
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

  it('exposes the overload guard refusals as palisade_sip_overload_rejected_total by reason', async () => {
    const { metrics, shed } = start();
    shed.lag = 4;
    shed.busy = 7;
    let text = await metrics.registry.metrics();
    assert.match(text, /^palisade_sip_overload_rejected_total\{reason="lag"\} 4$/m);
    assert.match(text, /^palisade_sip_overload_rejected_total\{reason="busy"\} 7$/m);
    assert.match(text, /^palisade_sip_overload_rejected_total\{reason="rate"\} 0$/m);
    shed.busy = 9;
    text = await metrics.registry.metrics();
    assert.match(text, /^palisade_sip_overload_rejected_total\{reason="busy"\} 9$/m);
  });

  it('exposes the dialogs and transactions the engine holds as gauges', async () => {
    const { metrics, held } = start();
    held.transactions.server = 12;
    held.transactions.client = 5;
    held.dialogs = 4;
    let text = await metrics.registry.metrics();
    assert.match(text, /^palisade_engine_transactions\{kind="server"\} 12$/m);
    assert.match(text, /^palisade_engine_transactions\{kind="client"\} 5$/m);
    assert.match(text, /^palisade_engine_dialogs 4$/m);
    held.transactions.server = 0;
    text = await metrics.registry.metrics();
    assert.match(text, /^palisade_engine_transactions\{kind="server"\} 0$/m);
  });

  it('reads the engine once per scrape, for all of its metrics', async () => {
    const metrics = new Metrics({ version: 't', commit: 'c', node: 'n' });
    let reads = 0;
    engineMetrics(metrics, () => {
      reads++;
      return Promise.resolve({
        swept: { orphaned: 0, idle: 0 },
        shed: { transactions: 0, lag: 0, rate: 0, busy: 0 },
        transactions: { server: 0, client: 0 },
        dialogs: reads,
        heap: { usedBytes: 0, totalBytes: 0 },
      });
    });
    let text = await metrics.registry.metrics();
    assert.equal(reads, 1);
    assert.match(text, /^palisade_engine_dialogs 1$/m);
    text = await metrics.registry.metrics();
    assert.equal(reads, 2, 'the next scrape reads afresh');
    assert.match(text, /^palisade_engine_dialogs 2$/m);
  });

  it("exposes the engine isolate's heap as palisade_engine_heap_bytes by kind, read at each scrape", async () => {
    const { metrics, held } = start();
    held.heap.usedBytes = 7_000_000;
    held.heap.totalBytes = 9_000_000;
    let text = await metrics.registry.metrics();
    assert.match(text, /^palisade_engine_heap_bytes\{kind="used"\} 7000000$/m);
    assert.match(text, /^palisade_engine_heap_bytes\{kind="total"\} 9000000$/m);
    held.heap.usedBytes = 6_500_000;
    text = await metrics.registry.metrics();
    assert.match(text, /^palisade_engine_heap_bytes\{kind="used"\} 6500000$/m);
  });
});
