/**
 * Typed errors raised by the transaction layer (RFC 3261 §17). Each carries a stable code and, where
 * the failure maps to an answer on the wire, the SIP status a UAS should respond with.
 */
import { PalisadeError } from '../../util/errors';

export type TransactionErrorCode =
  /** A timer configuration that cannot work (e.g. T2 < T1, a negative duration). */
  | 'TXN_BAD_TIMER_CONFIG'
  /** A transaction table capacity that is not a positive integer. */
  | 'TXN_BAD_TABLE_CAPACITY'
  /** The transaction table is at its cap: shed load with 503 (RFC 3261 §21.5.4). */
  | 'TXN_TABLE_FULL'
  /** A transaction with the same key is already in the table. */
  | 'TXN_DUPLICATE_KEY'
  /** A driver was asked to act on a message it was never given (a programming error). */
  | 'TXN_MISSING_MESSAGE';

export class TransactionError extends PalisadeError {
  declare readonly code: TransactionErrorCode;

  constructor(code: TransactionErrorCode, message: string, options: { sipStatus?: number } = {}) {
    super(code, message, options);
  }
}

/** A message a driver must have to carry out an effect (absent only through a programming error). */
export function requireMessage<M>(message: M | undefined, effect: string): M {
  if (message === undefined) {
    throw new TransactionError('TXN_MISSING_MESSAGE', `${effect} without a message to act on`);
  }
  return message;
}
