/**
 * Applying a REGISTER to an AOR's bindings (RFC 3261 §10.3 steps 6-8), as a pure plan: which
 * bindings to write, which to remove (and why, for the BindingObserver), and what the AOR holds
 * afterwards (the 200 OK lists them all). `Contact: *` needs `Expires: 0` (§10.3 step 6). A
 * refresh with the same Call-ID but a CSeq not above the stored one is out of order and leaves
 * its binding alone (§10.3 step 7). RFC 5626 §6: a binding with +sip.instance and reg-id is
 * replaced by a REGISTER with the same pair, even from another contact or flow. At most
 * MAX_BINDINGS_PER_AOR survive; the oldest go first.
 */
import { bindingKey, type Binding, type Flow } from '../../state/binding';
import { grantExpires, type ExpiresPolicy } from './expires-policy';
import type { RegisterFacts } from './register-request';

export const MAX_BINDINGS_PER_AOR = 10;

export interface ChangeInput {
  aor: string;
  facts: RegisterFacts;
  existing: readonly Binding[];
  policy: ExpiresPolicy;
  nattedUdp: boolean;
  flow: Flow;
  now: number;
}

export interface Removal {
  binding: Binding;
  reason: 'removed' | 'replaced';
}

export type ChangePlan =
  | { kind: 'bad'; reason: string }
  | { kind: 'too-brief'; min: number }
  | { kind: 'ok'; put: Binding[]; remove: Removal[]; replaced: Binding[]; result: Binding[] };

const sameFlow = (a: Flow, b: Flow): boolean =>
  a.transport === b.transport && a.sourceAddress === b.sourceAddress && a.sourcePort === b.sourcePort;

/** A draining instance's cap on UDP grants (policy.udpMax, ADR 0006). */
const udpCapped = (i: ChangeInput, seconds: number): number =>
  i.flow.transport === 'udp' && i.policy.udpMax !== undefined ? Math.min(seconds, i.policy.udpMax) : seconds;

export function planChanges(i: ChangeInput): ChangePlan {
  const current = new Map(i.existing.map((b) => [bindingKey(b), b]));
  const { contacts } = i.facts;
  if (contacts === undefined)
    return { kind: 'ok', put: [], remove: [], replaced: [], result: [...i.existing] };
  if (contacts === 'star') {
    if (i.facts.expires !== 0) return { kind: 'bad', reason: 'Contact * Needs Expires: 0' };
    return {
      kind: 'ok',
      put: [],
      remove: i.existing.map((binding) => ({ binding, reason: 'removed' })),
      replaced: [],
      result: [],
    };
  }
  const put: Binding[] = [];
  const remove: Removal[] = [];
  const replaced: Binding[] = [];
  for (const c of contacts) {
    const grant = grantExpires(i.policy, { contact: c.expires, header: i.facts.expires }, i.nattedUdp);
    if (grant.kind === 'too-brief') return grant;
    const identity = { contact: c.uri, instanceId: c.instanceId, regId: c.regId };
    const key = bindingKey(identity);
    const old = current.get(key);
    if (old?.callId === i.facts.callId && (old.cseq ?? -1) >= i.facts.cseq) continue; // out of order
    if (grant.kind === 'remove') {
      if (old) {
        remove.push({ binding: old, reason: 'removed' });
        current.delete(key);
      }
      continue;
    }
    const binding: Binding = {
      aor: i.aor,
      contact: c.uri,
      ...(c.instanceId === undefined ? {} : { instanceId: c.instanceId }),
      ...(c.regId === undefined ? {} : { regId: c.regId }),
      flow: i.flow,
      path: i.facts.path,
      expiresAt: i.now + udpCapped(i, grant.seconds) * 1000,
      ...(i.facts.userAgent === undefined ? {} : { userAgent: i.facts.userAgent }),
      ...(c.q === undefined ? {} : { q: c.q }),
      callId: i.facts.callId,
      cseq: i.facts.cseq,
      ...(old?.upstream === undefined ? {} : { upstream: old.upstream }),
    };
    if (old && (!sameFlow(old.flow, i.flow) || old.contact !== c.uri)) replaced.push(old);
    put.push(binding);
    current.set(key, binding);
  }
  const result = [...current.values()].sort((a, b) => b.expiresAt - a.expiresAt);
  const before = new Set(i.existing.map(bindingKey));
  for (const extra of result.splice(MAX_BINDINGS_PER_AOR)) {
    const at = put.indexOf(extra);
    if (at >= 0) put.splice(at, 1);
    if (before.has(bindingKey(extra))) remove.push({ binding: extra, reason: 'replaced' });
  }
  return { kind: 'ok', put, remove, replaced, result };
}

/** Contact header values of a 200 OK to REGISTER (§10.3 step 8): every binding with its expiry left. */
export function contactsOf(bindings: readonly Binding[], now: number): string[] {
  return bindings.map((b) => {
    const left = Math.max(0, Math.round((b.expiresAt - now) / 1000));
    const params = [
      `expires=${left}`,
      ...(b.q === undefined ? [] : [`q=${b.q}`]),
      ...(b.instanceId === undefined ? [] : [`+sip.instance="${b.instanceId}"`]),
      ...(b.regId === undefined ? [] : [`reg-id=${b.regId}`]),
    ];
    return `<${b.contact}>;${params.join(';')}`;
  });
}
