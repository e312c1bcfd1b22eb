/**
 * Who wants to know when a device's binding comes and goes (issue 7): NAT keepalives start on
 * `bound` for NATed flows and stop on `unbound`; ALG detection watches registration stability.
 * `bound` fires for every accepted REGISTER that adds or refreshes a binding, with the NAT
 * detection of that request; `unbound` once per binding that ends (un-REGISTER, expiry sweep,
 * or another binding taking its place).
 */
import type { Binding } from '../../state/binding';

export interface BindingObserver {
  bound(binding: Binding, nat: { natted: boolean; signals: readonly string[] }): void;
  unbound(binding: Binding, reason: 'expired' | 'removed' | 'replaced'): void;
}

export const noBindingObserver: BindingObserver = {
  bound: () => undefined,
  unbound: () => undefined,
};

/** Fans out to several observers (metrics, keepalives, ALG detection); one failing does not stop the rest. */
export function bindingObservers(
  observers: readonly BindingObserver[],
  onError: (e: unknown) => void,
): BindingObserver {
  const each = (f: (o: BindingObserver) => void): void => {
    for (const o of observers) {
      try {
        f(o);
      } catch (e) {
        onError(e);
      }
    }
  };
  return {
    bound: (b, nat) => {
      each((o) => {
        o.bound(b, nat);
      });
    },
    unbound: (b, reason) => {
      each((o) => {
        o.unbound(b, reason);
      });
    },
  };
}
