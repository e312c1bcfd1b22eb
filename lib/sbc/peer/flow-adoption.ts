/**
 * Adopting a dead or draining peer's UDP flow behind a shared advertised address (ADR 0006):
 * the binding's `flow.owner` becomes this instance, so from now on calls for the device from any
 * instance come here and this instance's keepalives and expiry are the ones that count. The
 * binding is re-read first and left alone if it changed meanwhile — the device re-registered
 * (through any instance: its new flow wins) or another survivor adopted it first. The BindingStore
 * has no compare-and-set, so a REGISTER landing between the read and the write can still be
 * overwritten with the old flow; the device's next refresh repairs that.
 */
import { bindingKey, type Binding, type BindingStore } from '../../state/binding';
import { toError } from '../../util/errors';
import type { Log } from '../../util/logger';

export interface AdoptionDeps {
  self: string;
  bindings: Pick<BindingStore, 'getBindings' | 'putBinding'>;
  log: Log;
}

/** The same registration over the same flow and owner as when it was read. */
function unchanged(now: Binding, seen: Binding): boolean {
  return (
    now.flow.owner === seen.flow.owner &&
    now.flow.transport === seen.flow.transport &&
    now.flow.sourceAddress === seen.flow.sourceAddress &&
    now.flow.sourcePort === seen.flow.sourcePort &&
    now.callId === seen.callId &&
    now.cseq === seen.cseq
  );
}

/** True when the binding is now owned here; never throws (a failed adoption is retried on next use). */
export async function adoptFlow(deps: AdoptionDeps, seen: Binding): Promise<boolean> {
  if (seen.flow.owner === deps.self) return true;
  try {
    const key = bindingKey(seen);
    const now = (await deps.bindings.getBindings(seen.aor)).find((b) => bindingKey(b) === key);
    if (now === undefined || !unchanged(now, seen)) return false;
    await deps.bindings.putBinding({ ...now, flow: { ...now.flow, owner: deps.self } });
    deps.log.info({ aor: seen.aor, from: seen.flow.owner, transport: seen.flow.transport }, 'flow adopted');
    return true;
  } catch (e) {
    deps.log.warn({ aor: seen.aor, err: toError(e).message }, 'flow adoption failed');
    return false;
  }
}
