/**
 * The StateStore contract: everything another instance needs to continue a call or reach a
 * device lives behind it. This first cut carries connectivity and health; calls, registrations,
 * counters and bans are added to the contract by the issues that need them, with the shared
 * contract test suite run against both backends.
 */
export type StateBackendKind = 'memory' | 'redis';

export interface StateHealth {
  up: boolean;
  detail: string;
}

export interface StateStore {
  readonly kind: StateBackendKind;
  /** Open connections; resolves once usable, rejects with a typed error if it cannot be. */
  connect(): Promise<void>;
  /** Round-trip to the backend; rejects when it is unreachable. */
  ping(): Promise<void>;
  /** Health transitions, pushed as they happen (e.g. Redis connection lost or restored). */
  onHealth(listener: (h: StateHealth) => void): void;
  close(): Promise<void>;
}
