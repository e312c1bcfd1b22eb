/**
 * Typed failures of the state layer. Every one maps to a SIP status so the call path can answer
 * (503: try another instance or later) instead of crashing or hanging.
 */
import { PalisadeError } from '../util/errors';

export type StateErrorCode =
  /** The backend (Redis) cannot be reached or did not answer in time. */
  | 'STATE_UNREACHABLE'
  /** The backend answered with an error (e.g. a script failed, wrong key type). */
  | 'STATE_BACKEND_ERROR'
  /** A stored value could not be decoded (written by an incompatible version, or tampered with). */
  | 'STATE_CORRUPT'
  /** The store was used after close(). */
  | 'STATE_CLOSED'
  /** The caller passed a value the contract does not allow (a bug in the caller). */
  | 'STATE_INVALID_ARGUMENT';

const SIP_STATUS: Record<StateErrorCode, number> = {
  STATE_UNREACHABLE: 503,
  STATE_BACKEND_ERROR: 503,
  STATE_CORRUPT: 500,
  STATE_CLOSED: 503,
  STATE_INVALID_ARGUMENT: 500,
};

export class StateError extends PalisadeError {
  declare readonly code: StateErrorCode;

  constructor(code: StateErrorCode, message: string, options: { cause?: unknown } = {}) {
    super(code, message, { sipStatus: SIP_STATUS[code], ...options });
  }
}

/** Rejects TTLs and limits that cannot be honoured (zero, negative, NaN, infinite). */
export function requirePositive(name: string, value: number): void {
  if (!Number.isFinite(value) || value <= 0) {
    throw new StateError('STATE_INVALID_ARGUMENT', `${name} must be a positive finite number, got ${value}`);
  }
}

/** Seconds (possibly fractional, e.g. in tests) to whole milliseconds, never below 1. */
export function secondsToMs(name: string, seconds: number): number {
  requirePositive(name, seconds);
  return Math.max(1, Math.ceil(seconds * 1000));
}
