/** In-process StateStore for a single node and for tests: always up while open. */
import { PalisadeError } from '../util/errors';
import type { StateHealth, StateStore } from './state-store';

export class MemoryStateStore implements StateStore {
  readonly kind = 'memory' as const;
  private open = false;
  private readonly listeners: ((h: StateHealth) => void)[] = [];

  connect(): Promise<void> {
    this.open = true;
    this.emit({ up: true, detail: 'in-memory' });
    return Promise.resolve();
  }

  ping(): Promise<void> {
    return this.open
      ? Promise.resolve()
      : Promise.reject(new PalisadeError('STATE_CLOSED', 'memory state store is closed'));
  }

  onHealth(listener: (h: StateHealth) => void): void {
    this.listeners.push(listener);
  }

  close(): Promise<void> {
    this.open = false;
    this.emit({ up: false, detail: 'closed' });
    return Promise.resolve();
  }

  private emit(h: StateHealth): void {
    for (const l of this.listeners) l(h);
  }
}
