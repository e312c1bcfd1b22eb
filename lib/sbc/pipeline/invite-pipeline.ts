/**
 * The INVITE pipeline as configured: classify → security (acl, limits) → nat → route (with
 * inbound normalisation) → destination limits. Media and header stages join later. Rejections release any
 * concurrent-call slots already taken.
 */
import type { RouteConfig, TrunkConfig } from '../../config';
import { RouteTable } from '../routing/routes';
import type { RegisteredLookup } from '../registrar/registered-lookup';
import { TrunkMatcher } from '../routing/trunk-matcher';
import { aclStage, type AclDeps } from './acl-stage';
import { classifyStage } from './classify-stage';
import type { CallContext } from './context';
import { type CallCounters, releaseSlots } from './limits';
import { limitsStage } from './limits-stage';
import { natStage } from './nat-stage';
import type { NatInspector } from '../nat/nat-inspector';
import { routeStage } from './route-stage';
import { type PipelineOutcome, runPipeline } from './runner';
import type { Stage } from './stage';

export interface InvitePipelineDeps extends AclDeps {
  trunks: readonly TrunkConfig[];
  routes: readonly RouteConfig[];
  counters: CallCounters;
  /** NAT detection; absent: no nat stage (NAT handling off). */
  nat?: NatInspector | undefined;
  /** Bindings for `to: registered` routes (the registrar's lookup). */
  registered?: RegisteredLookup;
}

export interface InvitePipeline {
  readonly stages: readonly Stage[];
  run(ctx: CallContext): Promise<PipelineOutcome>;
}

export function buildInvitePipeline(deps: InvitePipelineDeps): InvitePipeline {
  const stages: Stage[] = [
    classifyStage(new TrunkMatcher(deps.trunks)),
    aclStage(deps),
    limitsStage(deps.counters, 'source'),
    ...(deps.nat === undefined ? [] : [natStage(deps.nat)]),
    routeStage({
      routes: new RouteTable(deps.routes),
      trunks: new Map(deps.trunks.map((t) => [t.name, t])),
      ...(deps.registered === undefined ? {} : { registered: deps.registered }),
    }),
    limitsStage(deps.counters, 'destination'),
  ];
  return {
    stages,
    run: (ctx) =>
      runPipeline(stages, ctx, { onReject: (rejectedCtx) => releaseSlots(deps.counters, rejectedCtx.slots) }),
  };
}
