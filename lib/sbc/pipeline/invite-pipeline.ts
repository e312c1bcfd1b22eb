/**
 * The INVITE pipeline as configured: classify → security (acl, limits) → route (with inbound
 * normalisation) → destination limits. Media and header stages join later. Rejections release any
 * concurrent-call slots already taken.
 */
import type { RouteConfig, TrunkConfig } from '../../config';
import { RouteTable } from '../routing/routes';
import { TrunkMatcher } from '../routing/trunk-matcher';
import { aclStage, type AclDeps } from './acl-stage';
import { classifyStage } from './classify-stage';
import type { CallContext } from './context';
import { type CallCounters, releaseSlots } from './limits';
import { limitsStage } from './limits-stage';
import { routeStage } from './route-stage';
import { type PipelineOutcome, runPipeline } from './runner';
import type { Stage } from './stage';

export interface InvitePipelineDeps extends AclDeps {
  trunks: readonly TrunkConfig[];
  routes: readonly RouteConfig[];
  counters: CallCounters;
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
    routeStage({ routes: new RouteTable(deps.routes), trunks: new Map(deps.trunks.map((t) => [t.name, t])) }),
    limitsStage(deps.counters, 'destination'),
  ];
  return {
    stages,
    run: (ctx) =>
      runPipeline(stages, ctx, { onReject: (rejectedCtx) => releaseSlots(deps.counters, rejectedCtx.slots) }),
  };
}
