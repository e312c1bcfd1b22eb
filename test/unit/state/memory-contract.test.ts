/** The shared StateStore contract against the in-process backend. */
import { MemoryStateStore } from '../../../lib/state/memory-store';
import type { StateStore } from '../../../lib/state/state-store';
import { stateStoreContract } from '../../integration/state/contract';

const opened: StateStore[] = [];

stateStoreContract('memory', {
  open: async () => {
    const store = new MemoryStateStore();
    await store.connect();
    opened.push(store);
    return store;
  },
  peer: (store) => Promise.resolve(store),
  closeAll: async () => {
    await Promise.all(opened.splice(0).map((s) => s.close()));
  },
});
