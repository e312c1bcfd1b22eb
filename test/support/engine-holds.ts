/** What a running engine still holds (leak checks): 0 everywhere once every call is over. */
import type { Engine } from '../../lib/engine/embedded-engine';

export function engineHolds(engine: Engine): {
  dialogs: number;
  appServerTxns: number;
  appClientTxns: number;
} {
  const s = engine.state;
  return { dialogs: s.dialogCount, appServerTxns: s.servers.size, appClientTxns: s.clients.size };
}
