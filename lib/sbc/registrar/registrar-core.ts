/**
 * What the local and relay registrars share: the reply shape, the metrics seam, reading the
 * request up to a canonical AOR, NAT detection of the REGISTER, and committing a change plan to
 * the BindingStore with the BindingObserver and the active-registrations gauge told once per change.
 */
import type { HeaderField } from '../../sip';
import { bindingKey, type Binding, type BindingStore, type Flow } from '../../state/binding';
import type { Log } from '../../util/logger';
import type { NatDetector } from '../nat/nat-detect';
import type { InboundRequest } from '../pipeline/context';
import { canonicalAor } from './aor';
import type { ChangePlan } from './binding-changes';
import type { BindingObserver } from './binding-observer';
import type { ExpiresPolicy } from './expires-policy';
import { readRegister, type RegisterFacts } from './register-request';

export interface RegisterReply {
  status: number;
  reason?: string;
  headers: HeaderField[];
}

/** Bounded outcome names (metric label values). */
export const REGISTER_OUTCOMES = [
  'registered',
  'unregistered',
  'fetched',
  'cached',
  'challenged',
  'forbidden',
  'too-brief',
  'invalid',
  'not-found',
  'overload',
  'upstream-failed',
  'error',
] as const;
export type RegisterOutcome = (typeof REGISTER_OUTCOMES)[number];

/** Registration metrics (lib/observe implements it; the gauge is palisade_registrations_active). */
export interface RegistrarMetrics {
  activeDelta(delta: number): void;
  outcome(outcome: RegisterOutcome): void;
}

export const noRegistrarMetrics: RegistrarMetrics = {
  activeDelta: () => undefined,
  outcome: () => undefined,
};

export interface CoreDeps {
  store: BindingStore;
  observer: BindingObserver;
  metrics: RegistrarMetrics;
  nat: NatDetector;
  policy: ExpiresPolicy;
  domains: readonly string[];
  /** Epoch milliseconds. */
  now: () => number;
  log: Log;
}

export type Parsed =
  { ok: true; facts: RegisterFacts; aor: string; user: string } | { ok: false; reply: RegisterReply };

export const reply = (status: number, reason?: string, headers: HeaderField[] = []): RegisterReply =>
  reason === undefined ? { status, headers } : { status, reason, headers };

export function parseRegister(req: InboundRequest, deps: CoreDeps): Parsed {
  const read = readRegister(req);
  if (!read.ok) return { ok: false, reply: reply(400, read.reason) };
  const to = /<([^>]*)>/.exec(read.facts.to)?.[1] ?? read.facts.to.split(';')[0] ?? '';
  const aor = canonicalAor(to, deps.domains);
  if (!aor.ok) return { ok: false, reply: reply(aor.status, aor.reason) };
  return { ok: true, facts: read.facts, aor: aor.aor, user: aor.user };
}

/** NAT facts of a REGISTER: NAT traversal's verdict when it inspected the request, else our own. */
export type NatFacts = { natted: boolean; signals: readonly string[] };

export function detectNat(
  deps: CoreDeps,
  req: InboundRequest,
  facts: RegisterFacts,
  given?: NatFacts,
): NatFacts {
  if (given !== undefined) return given;
  if (facts.via === undefined) return { natted: false, signals: [] };
  const contacts = Array.isArray(facts.contacts) ? facts.contacts.map((c) => c.uri) : [];
  return deps.nat.detect({ source: req.source, via: facts.via, contacts });
}

/** The outcome of a plan, to fill the reply: bindings now held, or the rejection. */
export type Committed = { ok: true; result: Binding[] } | { ok: false; reply: RegisterReply };

export async function commitPlan(
  deps: CoreDeps,
  plan: ChangePlan,
  existing: readonly Binding[],
  nat: { natted: boolean; signals: readonly string[] },
): Promise<Committed> {
  if (plan.kind === 'bad') return { ok: false, reply: reply(400, plan.reason) };
  if (plan.kind === 'too-brief')
    return { ok: false, reply: reply(423, 'Interval Too Brief', [['Min-Expires', String(plan.min)]]) };
  const before = new Set(existing.map(bindingKey));
  // Each binding keeps the NAT verdict of the REGISTER that wrote it (any instance reads it back).
  const verdict = { natted: nat.natted, signals: [...nat.signals] };
  // Object.assign, not `{ ...b, nat }`: b has no nat yet, and a key added after a spread costs
  // a V8 hidden class per object (one per REGISTER).
  const put = plan.put.map((b): Binding => Object.assign({}, b, { nat: verdict }));
  await Promise.all([
    ...plan.remove.map((r) => deps.store.removeBinding(r.binding.aor, r.binding)),
    ...put.map((b) => deps.store.putBinding(b)),
  ]);
  let delta = 0;
  for (const r of plan.remove) {
    delta--;
    deps.observer.unbound(r.binding, r.reason);
  }
  for (const old of plan.replaced) deps.observer.unbound(old, 'replaced');
  for (const b of put) {
    if (!before.has(bindingKey(b))) delta++;
    deps.observer.bound(b, nat);
  }
  if (delta !== 0) deps.metrics.activeDelta(delta);
  return { ok: true, result: plan.result };
}

export function flowOf(req: InboundRequest, listenerId: string, owner: string): Flow {
  return {
    transport: req.source.transport,
    sourceAddress: req.source.address,
    sourcePort: req.source.port,
    listenerId,
    owner,
  };
}
