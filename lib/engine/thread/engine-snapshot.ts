/** The counters of an engine as one structured-cloneable snapshot (wherever the engine runs). */
import { getHeapStatistics } from 'node:v8';
import type { Engine } from '../embedded-engine';
import type { EngineSnapshot } from './thread-protocol';

export function engineSnapshot(engine: Engine): EngineSnapshot {
  return {
    stats: { ...engine.stats },
    transactions: { ...engine.transactionCounts },
    dialogs: engine.state.dialogCount,
    pendingServers: engine.state.servers.size,
    pendingClients: engine.state.clients.size,
    swept: { ...engine.dialogsSwept },
    heap: heapOfThisIsolate(),
  };
}

function heapOfThisIsolate(): EngineSnapshot['heap'] {
  const h = getHeapStatistics();
  return { usedBytes: h.used_heap_size, totalBytes: h.total_heap_size };
}
