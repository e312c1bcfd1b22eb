/**
 * limits: admission control for the trunk a call comes from (`source`, in the security step) and
 * the trunk it goes to (`destination`, after routing). A trunk counts calls in both directions.
 * Slots taken are recorded in the context so a later rejection or the call's end releases them.
 */
import type { TrunkConfig } from '../../config';
import type { CallContext } from './context';
import { type CallCounters, admitCall } from './limits';
import { CONTINUE, type Stage, reject } from './stage';

export type LimitedLeg = 'source' | 'destination';

function trunkOf(ctx: CallContext, leg: LimitedLeg): TrunkConfig | undefined {
  return leg === 'source' ? ctx.sourceTrunk : ctx.destinationTrunk;
}

export function limitsStage(counters: CallCounters, leg: LimitedLeg): Stage {
  return {
    name: leg === 'source' ? 'limits' : 'destination-limits',
    async run(ctx) {
      const trunk = trunkOf(ctx, leg);
      if (trunk === undefined) return CONTINUE;
      if (leg === 'destination' && trunk === ctx.sourceTrunk) return CONTINUE;
      const decision = await admitCall(counters, trunk.name, ctx.request.callId, trunk.limits);
      if (decision.kind === 'refuse') return reject(decision.status, decision.reason, decision.headers);
      if (decision.hold !== undefined) ctx.slots.push(decision.hold);
      return CONTINUE;
    },
  };
}
