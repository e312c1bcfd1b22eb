/**
 * `registrar.mode: local` — Palisade is the registrar (RFC 3261 §10.3): authenticate (digest,
 * auth-guard.ts: brute-force limit, nonce replay), then add, refresh, remove or list the AOR's bindings with the flow they came
 * over. The 200 OK lists every binding with its remaining expiry (§10.3 step 8); with RFC 5626
 * instance/reg-id and `Supported: outbound` from a directly connected client (no Path) it says
 * `Require: outbound` (RFC 5626 §6).
 */
import type { Binding, Flow } from '../../state/binding';
import type { InboundRequest } from '../pipeline/context';
import type { AuthGuard } from './auth-guard';
import { planChanges } from './binding-changes';
import {
  commitPlan,
  detectNat,
  parseRegister,
  reply,
  type CoreDeps,
  type NatFacts,
  type RegisterOutcome,
} from './registrar-core';
import { contactHeaders, unparsed, type RegisterResult } from './register-replies';

export class LocalRegistrar {
  constructor(
    private readonly deps: CoreDeps,
    private readonly auth: AuthGuard,
  ) {}

  async handle(req: InboundRequest, flow: Flow, given?: NatFacts): Promise<RegisterResult> {
    const parsed = parseRegister(req, this.deps);
    if (!parsed.ok) return unparsed(parsed.reply);
    const { facts, aor, user } = parsed;
    const auth = await this.auth.check(facts.authorization, 'REGISTER', user, req.source.address);
    if (auth.kind === 'challenge')
      return { reply: reply(401, 'Unauthorized', this.auth.challenges(auth.stale)), outcome: 'challenged' };
    if (auth.kind === 'forbidden') return { reply: reply(403, auth.reason), outcome: 'forbidden' };
    const existing = await this.deps.store.getBindings(aor);
    const nat = detectNat(this.deps, req, facts, given);
    const now = this.deps.now();
    const plan = planChanges({
      aor,
      facts,
      existing,
      policy: this.deps.policy,
      nattedUdp: nat.natted && flow.transport === 'udp',
      flow,
      now,
    });
    const committed = await commitPlan(this.deps, plan, existing, nat);
    if (!committed.ok)
      return { reply: committed.reply, outcome: committed.reply.status === 423 ? 'too-brief' : 'invalid' };
    const headers = okHeaders(committed.result, facts, now);
    const outcome: RegisterOutcome =
      facts.contacts === undefined
        ? 'fetched'
        : committed.result.length === 0
          ? 'unregistered'
          : 'registered';
    if (outcome !== 'fetched')
      this.deps.log.debug({ aor, bindings: committed.result.length, nat: nat.signals }, 'registration');
    return { reply: reply(200, 'OK', headers), outcome };
  }
}

function okHeaders(
  result: readonly Binding[],
  facts: { path: string[]; supportsOutbound: boolean; contacts: unknown },
  now: number,
): [string, string][] {
  const headers = contactHeaders(result, now);
  if (facts.path.length > 0) headers.push(['Path', facts.path.join(', ')]);
  const outbound =
    facts.supportsOutbound &&
    facts.path.length === 0 &&
    Array.isArray(facts.contacts) &&
    result.some((b) => b.instanceId !== undefined && b.regId !== undefined);
  if (outbound) headers.push(['Require', 'outbound']);
  return headers;
}
