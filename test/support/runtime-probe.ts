/**
 * Test-only view into a Palisade started with startRuntime(): the embedded engine and the state
 * store it created (for leak checks and StateStore assertions), captured by wrapping the two
 * factory functions the composition root calls (CommonJS exports are looked up at call time).
 * Nothing in lib/ changes; the wrappers only remember what the factories returned.
 */
import * as embeddedEngine from '../../lib/engine/embedded-engine';
import * as wireState from '../../lib/cli/wire-state';
import type { Engine } from '../../lib/engine/embedded-engine';
import type { StateStore } from '../../lib/state/state-store';

export interface RuntimeInternals {
  engine: Engine | undefined;
  state: StateStore | undefined;
}

let current: RuntimeInternals | undefined;
let installed = false;

function install(): void {
  if (installed) return;
  installed = true;
  const engineExports = embeddedEngine as { startEngine: typeof embeddedEngine.startEngine };
  const startEngine = engineExports.startEngine;
  engineExports.startEngine = async (o) => {
    const engine = await startEngine(o);
    if (current) current.engine = engine;
    return engine;
  };
  const stateExports = wireState as { startState: typeof wireState.startState };
  const startState = stateExports.startState;
  stateExports.startState = async (state, deps) => {
    const store = await startState(state, deps);
    if (current) current.state = store;
    return store;
  };
}

/** Run `start` (one startRuntime) and return what it created alongside its result. */
export async function probeRuntime<T>(
  start: () => Promise<T>,
): Promise<{ result: T; internals: RuntimeInternals }> {
  install();
  const internals: RuntimeInternals = { engine: undefined, state: undefined };
  current = internals;
  try {
    return { result: await start(), internals };
  } finally {
    current = undefined;
  }
}

/** Dialogs and app transactions the engine still holds (0 everywhere once every call is over). */
export function engineHolds(engine: Engine): {
  dialogs: number;
  appServerTxns: number;
  appClientTxns: number;
} {
  const s = engine.state;
  return { dialogs: s.dialogCount, appServerTxns: s.servers.size, appClientTxns: s.clients.size };
}
