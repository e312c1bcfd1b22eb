/**
 * Minimal typed event emitter. Unlike node's EventEmitter, an 'error' event without listeners is
 * dropped rather than thrown: a peer sending garbage must never be able to crash the process.
 */
type Handler = (...args: never[]) => void;

export class TypedEmitter<E extends { [K in keyof E]: Handler }> {
  private readonly handlers = new Map<keyof E, Set<E[keyof E]>>();

  on<K extends keyof E>(event: K, handler: E[K]): this {
    let set = this.handlers.get(event);
    if (set === undefined) {
      set = new Set();
      this.handlers.set(event, set);
    }
    set.add(handler);
    return this;
  }

  off<K extends keyof E>(event: K, handler: E[K]): this {
    this.handlers.get(event)?.delete(handler);
    return this;
  }

  once<K extends keyof E>(event: K, handler: E[K]): this {
    const wrapper = ((...args: Parameters<E[K]>) => {
      this.off(event, wrapper);
      (handler as (...a: Parameters<E[K]>) => void)(...args);
    }) as E[K];
    return this.on(event, wrapper);
  }

  listenerCount(event: keyof E): number {
    return this.handlers.get(event)?.size ?? 0;
  }

  protected emit<K extends keyof E>(event: K, ...args: Parameters<E[K]>): void {
    const set = this.handlers.get(event);
    if (set === undefined) return;
    for (const handler of [...set]) (handler as (...a: Parameters<E[K]>) => void)(...args);
  }
}
