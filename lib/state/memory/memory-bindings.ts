/** In-process registrations: AOR → binding key → binding. */
import { bindingKey, byPreference, type Binding, type BindingIdentity, type BindingStore } from '../binding';
import { requirePositive } from '../state-error';
import { viaJson } from './expiring-map';

export class MemoryBindings implements BindingStore {
  private readonly byAor = new Map<string, Map<string, Binding>>();

  constructor(private readonly now: () => number) {}

  putBinding(binding: Binding): Promise<void> {
    requirePositive('expiresAt', binding.expiresAt);
    let bindings = this.byAor.get(binding.aor);
    if (!bindings) {
      bindings = new Map();
      this.byAor.set(binding.aor, bindings);
    }
    bindings.set(bindingKey(binding), viaJson(binding));
    return Promise.resolve();
  }

  removeBinding(aor: string, identity: BindingIdentity): Promise<boolean> {
    const bindings = this.byAor.get(aor);
    const key = bindingKey(identity);
    const live = bindings?.get(key);
    bindings?.delete(key);
    if (bindings?.size === 0) this.byAor.delete(aor);
    return Promise.resolve(live !== undefined && live.expiresAt > this.now());
  }

  getBindings(aor: string): Promise<Binding[]> {
    const now = this.now();
    const live = [...(this.byAor.get(aor)?.values() ?? [])].filter((b) => b.expiresAt > now);
    return Promise.resolve(live.sort(byPreference).map(viaJson));
  }

  expireBindings(): Promise<Binding[]> {
    const now = this.now();
    const expired: Binding[] = [];
    for (const [aor, bindings] of this.byAor) {
      for (const [key, b] of bindings) {
        if (b.expiresAt > now) continue;
        expired.push(b);
        bindings.delete(key);
      }
      if (bindings.size === 0) this.byAor.delete(aor);
    }
    return Promise.resolve(expired.sort((a, b) => a.expiresAt - b.expiresAt));
  }
}
