/**
 * `registrar.mode: relay` — devices register through Palisade to an upstream registrar/PBX
 * (issue 7 point 3). Palisade keeps each device's binding and flow itself and registers upstream
 * either its own Contact with a per-binding token (`contact`) or the device's Contact behind a
 * Path of ours (`path`, RFC 3327). Authentication stays the upstream's: its 401/407 goes back to
 * the device and the device's credentials go up unchanged.
 *
 * Registration caching: the upstream is asked for `relay.expires` and a device refresh goes up
 * only when the upstream binding has less than `refreshMarginSeconds` left; other refreshes from
 * the same flow and Call-ID as the registration the upstream accepted are answered here. So a
 * device refreshing every 60 s (NAT) costs the upstream one REGISTER per upstream interval.
 */
import type { Binding, Flow, UpstreamRegistration } from '../../state/binding';
import type { InboundRequest } from '../pipeline/context';
import { planChanges, type ChangePlan } from './binding-changes';
import { contactToken } from './contact-token';
import { nextUpstreamCseq, upstreamCallId, upstreamHeaders, type RelayOptions } from './relay-upstream';
import { commitPlan, detectNat, parseRegister, reply, type CoreDeps, type NatFacts } from './registrar-core';
import { contactHeaders, unparsed, type RegisterResult as Result } from './register-replies';
import type { RegisterFacts } from './register-request';
import { grantedSeconds, type UpstreamResponse, type UpstreamSender } from './upstream';

export type { RelayOptions } from './relay-upstream';

const sameFlow = (a: Flow, b: Flow): boolean =>
  a.transport === b.transport && a.sourceAddress === b.sourceAddress && a.sourcePort === b.sourcePort;

export class RelayRegistrar {
  constructor(
    private readonly deps: CoreDeps,
    private readonly sender: UpstreamSender,
    private readonly o: RelayOptions,
  ) {}

  async handle(req: InboundRequest, flow: Flow, given?: NatFacts): Promise<Result> {
    const parsed = parseRegister(req, this.deps);
    if (!parsed.ok) return unparsed(parsed.reply);
    const { facts, aor } = parsed;
    const existing = await this.deps.store.getBindings(aor);
    const now = this.deps.now();
    if (facts.contacts === undefined) {
      const own = existing.filter((b) => b.flow.sourceAddress === flow.sourceAddress);
      return { reply: reply(200, 'OK', contactHeaders(own, now)), outcome: 'fetched' };
    }
    const nat = detectNat(this.deps, req, facts, given);
    const nattedUdp = nat.natted && flow.transport === 'udp';
    const plan = planChanges({ aor, facts, existing, policy: this.deps.policy, nattedUdp, flow, now });
    if (plan.kind === 'ok' && this.servedFromCache(plan, facts, flow, now)) {
      const committed = await commitPlan(this.deps, plan, existing, nat);
      if (committed.ok)
        return { reply: reply(200, 'OK', contactHeaders(committed.result, now)), outcome: 'cached' };
    }
    if (plan.kind !== 'ok') {
      const committed = await commitPlan(this.deps, plan, existing, nat);
      return {
        reply: committed.ok ? reply(500) : committed.reply,
        outcome: plan.kind === 'bad' ? 'invalid' : 'too-brief',
      };
    }
    const callId = upstreamCallId(aor, facts.callId);
    const cseq = nextUpstreamCseq(facts.cseq, existing, callId);
    const res = await this.sender.register({
      uri: this.o.upstream,
      headers: upstreamHeaders(this.o, {
        aor,
        callId,
        cseq,
        put: plan.put,
        remove: plan.remove.map((r) => r.binding),
        path: facts.path,
        authorization: facts.authorization,
        userAgent: facts.userAgent,
      }),
    });
    if (res.status >= 200 && res.status < 300) {
      const upstreamPuts = plan.put.map((b) => this.withUpstream(b, res, callId, cseq, now));
      const committed = await commitPlan(
        this.deps,
        { ...plan, put: upstreamPuts, result: merge(plan.result, upstreamPuts) },
        existing,
        nat,
      );
      if (!committed.ok) return { reply: committed.reply, outcome: 'error' };
      const outcome = committed.result.length === 0 ? 'unregistered' : 'registered';
      return { reply: reply(200, 'OK', contactHeaders(committed.result, now)), outcome };
    }
    if (plan.put.length === 0) await commitPlan(this.deps, plan, existing, nat); // removals stand regardless
    return relayFailure(res);
  }

  /** Every binding written is a refresh of one the upstream holds long enough, same flow and Call-ID. */
  private servedFromCache(
    plan: Extract<ChangePlan, { kind: 'ok' }>,
    facts: RegisterFacts,
    flow: Flow,
    now: number,
  ): boolean {
    if (plan.put.length === 0 || plan.remove.length > 0) return false;
    const margin = this.o.refreshMarginSeconds * 1000;
    return (
      plan.put.every((b) => {
        const up = b.upstream;
        return (
          up !== undefined &&
          up.callId === upstreamCallId(b.aor, facts.callId) &&
          sameFlow(b.flow, flow) &&
          up.expiresAt - now > margin &&
          up.expiresAt >= b.expiresAt
        );
      }) && plan.replaced.length === 0
    );
  }

  private withUpstream(
    b: Binding,
    res: UpstreamResponse,
    callId: string,
    cseq: number,
    now: number,
  ): Binding {
    const token = contactToken(b.aor, b);
    const seconds = grantedSeconds(res, this.o.contactMode === 'contact' ? token : b.contact, this.o.expires);
    const upstream: UpstreamRegistration = { contact: token, callId, cseq, expiresAt: now + seconds * 1000 };
    // Object.assign, not `{ ...b, upstream }`: a first registration has none, and a key added
    // after a spread costs a V8 hidden class per object.
    return Object.assign({}, b, { upstream });
  }
}

function merge(result: readonly Binding[], puts: readonly Binding[]): Binding[] {
  const byContact = new Map(puts.map((p) => [p.contact, p]));
  return result.map((b) => byContact.get(b.contact) ?? b);
}

function relayFailure(res: UpstreamResponse): Result {
  if (res.status === 401 || res.status === 407) {
    const name = res.status === 401 ? 'WWW-Authenticate' : 'Proxy-Authenticate';
    const value = res.get(name);
    return {
      reply: reply(res.status, res.reason, value === undefined ? [] : [[name, value]]),
      outcome: 'challenged',
    };
  }
  if (res.status === 408 || res.status >= 500)
    return {
      reply: reply(res.status === 408 ? 504 : 503, 'Upstream Registrar Unavailable', [['Retry-After', '30']]),
      outcome: 'upstream-failed',
    };
  return {
    reply: reply(res.status, res.reason),
    outcome: res.status === 403 ? 'forbidden' : 'upstream-failed',
  };
}
