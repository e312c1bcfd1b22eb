/** A Map whose entries vanish at their expiry time (checked on read, swept now and then). */
export class ExpiringMap<K, V> {
  private readonly entries = new Map<K, { value: V; expiresAt: number }>();
  private writesSinceSweep = 0;

  constructor(
    private readonly now: () => number,
    private readonly sweepEvery = 1000,
  ) {}

  get(key: K): V | undefined {
    const e = this.entries.get(key);
    if (!e) return undefined;
    if (e.expiresAt <= this.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return e.value;
  }

  set(key: K, value: V, expiresAt: number): void {
    this.entries.set(key, { value, expiresAt });
    if (++this.writesSinceSweep >= this.sweepEvery) this.sweep();
  }

  delete(key: K): boolean {
    const had = this.get(key) !== undefined;
    this.entries.delete(key);
    return had;
  }

  /** Live entries with their expiry. */
  *live(): Generator<[K, V, number]> {
    const now = this.now();
    for (const [k, e] of this.entries) if (e.expiresAt > now) yield [k, e.value, e.expiresAt];
  }

  get size(): number {
    return [...this.live()].length;
  }

  sweep(): void {
    this.writesSinceSweep = 0;
    const now = this.now();
    for (const [k, e] of this.entries) if (e.expiresAt <= now) this.entries.delete(k);
  }
}

/** Deep copy through JSON, so the memory backend hands out exactly what Redis would. */
export function viaJson<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}
