/**
 * The StateStore contract, run against every backend: calls, registrations, admission counters,
 * bans, ALG suspects and live instances, including concurrency (many parallel callers, two instances sharing state) and
 * expiry with short TTLs.
 */
import type { StateStore } from '../../../lib/state/state-store';
import { admissionContract } from './contract-admission';
import { algSuspectContract } from './contract-alg-suspects';
import { authAttemptContract } from './contract-auth-attempts';
import { banContract } from './contract-bans';
import { bindingContract } from './contract-bindings';
import { callContract } from './contract-calls';
import { instanceContract } from './contract-instances';
import { limitContract } from './contract-limits';

export interface StateStoreHarness {
  /** A connected store with empty state. */
  open(): Promise<StateStore>;
  /** Another instance sharing `store`'s state (memory: the same object). */
  peer(store: StateStore): Promise<StateStore>;
  /** Close everything opened since the last call. */
  closeAll(): Promise<void>;
}

export function stateStoreContract(name: string, harness: StateStoreHarness): void {
  describe(`StateStore contract: ${name}`, function () {
    this.timeout(20_000);
    afterEach(() => harness.closeAll());
    callContract(harness);
    bindingContract(harness);
    limitContract(harness);
    admissionContract(harness);
    banContract(harness);
    algSuspectContract(harness);
    instanceContract(harness);
    authAttemptContract(harness);
  });
}
