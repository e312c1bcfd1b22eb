/**
 * The set of live transactions, by matching key (keys.ts), with a cap on its size so that a flood
 * of new requests cannot exhaust memory: when full, new transactions are refused and the caller
 * answers 503 (RFC 3261 §21.5.4) or drops the request.
 */
import { err, ok, type Result } from '../../util/result';
import { TransactionError } from './errors';

export const DEFAULT_TABLE_CAPACITY = 100_000;

export class TransactionTable<K extends string, V> {
  private readonly entries = new Map<K, V>();

  constructor(readonly capacity: number = DEFAULT_TABLE_CAPACITY) {
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new TransactionError('TXN_BAD_TABLE_CAPACITY', 'capacity must be a positive integer');
    }
  }

  get size(): number {
    return this.entries.size;
  }

  get full(): boolean {
    return this.entries.size >= this.capacity;
  }

  /** Add a transaction; refused when the key is taken or the table is full. */
  add(key: K, value: V): Result<void, TransactionError> {
    if (this.entries.has(key)) {
      return err(
        new TransactionError('TXN_DUPLICATE_KEY', 'a transaction with this key exists', { sipStatus: 500 }),
      );
    }
    if (this.full) {
      return err(
        new TransactionError('TXN_TABLE_FULL', `transaction table full (${this.capacity})`, {
          sipStatus: 503,
        }),
      );
    }
    this.entries.set(key, value);
    return ok(undefined);
  }

  find(key: K): V | undefined {
    return this.entries.get(key);
  }

  has(key: K): boolean {
    return this.entries.has(key);
  }

  /** Remove a transaction; true if it was there. Removing twice is harmless. */
  remove(key: K): boolean {
    return this.entries.delete(key);
  }

  values(): IterableIterator<V> {
    return this.entries.values();
  }
}
