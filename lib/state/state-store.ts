/**
 * The StateStore contract: everything another instance needs to continue a call or reach a
 * device lives behind it — calls, registrations, admission counters, bans. Each concern has its
 * own file; the memory and Redis backends pass one shared contract test suite. Every operation
 * rejects only with a StateError (see state-error.ts); the memory backend never becomes
 * unreachable.
 */
import type { AlgSuspectStore } from './alg-suspects';
import type { AuthAttemptStore } from './auth-attempts';
import type { BanStore } from './bans';
import type { BindingStore } from './binding';
import type { CallStore } from './call-record';
import type { InstanceStore } from './instances';
import type { LimitStore } from './limits';

export type StateBackendKind = 'memory' | 'redis';

export interface StateHealth {
  up: boolean;
  detail: string;
}

export interface StateConnection {
  readonly kind: StateBackendKind;
  /** Open connections; resolves once usable, rejects with a typed error if it cannot be. */
  connect(): Promise<void>;
  /** Round-trip to the backend; rejects when it is unreachable. */
  ping(): Promise<void>;
  /** Health transitions, pushed as they happen (e.g. Redis connection lost or restored). */
  onHealth(listener: (h: StateHealth) => void): void;
  close(): Promise<void>;
}

export interface StateStore
  extends
    StateConnection,
    CallStore,
    BindingStore,
    LimitStore,
    BanStore,
    AlgSuspectStore,
    InstanceStore,
    AuthAttemptStore {}

export type { AlgSuspect } from './alg-suspects';
export type { Ban } from './bans';
export type { Binding, BindingIdentity, Flow, FlowTransport } from './binding';
export type { CallLeg, CallMedia, CallRecord, CallState, DialogIdentifiers } from './call-record';
export type { Admission, AdmissionRequest, LimitDecision } from './limits';
export type { InstanceRecord } from './instances';
export { StateError, type StateErrorCode } from './state-error';
