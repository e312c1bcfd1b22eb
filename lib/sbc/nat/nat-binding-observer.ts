/**
 * What NAT traversal does with the registrar's binding events (issue 7 points 4 and 6): NATed
 * UDP flows get keepalives, and every (re-)registration feeds the per-device churn check of ALG
 * detection. Implements lib/sbc/registrar's BindingObserver (structurally).
 */
import type { Binding } from '../../state/binding';
import { bindingKey } from '../../state/binding';
import type { AlgMonitor } from './alg-monitor';
import type { KeepaliveManager, NatBindingObserver } from './keepalive/keepalive-manager';

export function natBindingObserver(o: {
  keepalives: KeepaliveManager | undefined;
  alg: AlgMonitor | undefined;
}): NatBindingObserver {
  return {
    bound(binding: Binding, nat: { natted: boolean; signals: readonly string[] }): void {
      o.keepalives?.bound(binding, nat);
      o.alg?.registration(
        binding.flow.sourceAddress,
        `${binding.aor}\n${bindingKey(binding)}`,
        binding.flow.sourcePort,
        { userAgent: binding.userAgent, identity: binding.aor },
      );
    },
    unbound(binding: Binding, reason: string): void {
      o.keepalives?.unbound(binding, reason);
    },
  };
}
