/**
 * Helpers for transition-table tests: one `it` per (state, event) → (state, effects) row, and a
 * coverage check that every state × event class of a machine has a row.
 */
import assert from 'node:assert/strict';
import type { TimerConfig, TimerName } from '../../../../lib/sip/transaction/timers';
import {
  statusClass,
  type ClientEvent,
  type ServerEvent,
  type Step,
} from '../../../../lib/sip/transaction/types';

export interface Row<S, E, F> {
  readonly from: S;
  readonly on: E;
  readonly to: S;
  readonly effects: readonly F[];
}

/** Row builders typed for one machine, so that narrowed state constants do not narrow the row. */
export function tableOf<S, E, F>(): {
  row: (from: S, on: E, to: S, effects: readonly F[]) => Row<S, E, F>;
  absorbs: (state: S, events: readonly E[]) => Row<S, E, F>[];
} {
  const row = (from: S, on: E, to: S, effects: readonly F[]): Row<S, E, F> => ({ from, on, to, effects });
  /** Rows for events a state absorbs: same state, no effects. */
  const absorbs = (state: S, events: readonly E[]): Row<S, E, F>[] =>
    events.map((on) => row(state, on, state, []));
  return { row, absorbs };
}

export function clientEventLabel(e: ClientEvent<TimerName>): string {
  switch (e.kind) {
    case 'response':
      return `response ${statusClass(e.status)}`;
    case 'timer':
      return `timer ${e.name}`;
    case 'start':
    case 'transport-error':
    case 'abandon':
      return e.kind;
  }
}

export function serverEventLabel(e: ServerEvent<TimerName>): string {
  switch (e.kind) {
    case 'tu-response':
      return `tu-response ${statusClass(e.status)}`;
    case 'timer':
      return `timer ${e.name}`;
    case 'start':
    case 'request-retransmission':
    case 'ack':
    case 'transport-error':
      return e.kind;
  }
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

/** Declare one test per row; the input state is frozen so a mutating machine fails. */
export function describeTable<S extends { readonly name: string }, E, F>(
  title: string,
  machine: (state: S, event: E, timers: TimerConfig) => Step<S, F>,
  timers: TimerConfig,
  rows: readonly Row<S, E, F>[],
  label: (e: E) => string,
): void {
  describe(title, () => {
    for (const r of rows) {
      const on = JSON.stringify(r.on);
      it(`${JSON.stringify(r.from)} + ${on} → ${r.to.name}`, () => {
        const step = machine(deepFreeze(structuredClone(r.from)), deepFreeze(structuredClone(r.on)), timers);
        assert.deepEqual(step, { state: r.to, effects: r.effects }, `${label(r.on)} in ${r.from.name}`);
      });
    }
  });
}

/** Assert every state name × event label pair appears in the table. */
export function assertCoverage<S extends { readonly name: string }, E, F>(
  rows: readonly Row<S, E, F>[],
  states: readonly string[],
  events: readonly string[],
  label: (e: E) => string,
): void {
  const seen = new Set(rows.map((r) => `${r.from.name} / ${label(r.on)}`));
  const missing = states.flatMap((s) => events.map((e) => `${s} / ${e}`)).filter((pair) => !seen.has(pair));
  assert.deepEqual(missing, [], 'state × event pairs without a row');
}
