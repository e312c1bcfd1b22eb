/**
 * The failover plan for one outbound call to a trunk: the gateways in attempt order
 * (gateway-order.ts), the per-attempt INVITE timeout, and `nextStep`, which — given the outcomes
 * of the attempts made so far — says which gateway to try next or which final response to give
 * upstream (failover.ts). Pure: the B2BUA performs the attempts and feeds back their outcomes.
 */
import type { TrunkConfig } from '../../config';
import { type AttemptOutcome, type FinalResponse, finalResponse, shouldFailover } from './failover';
import { type Random, orderGateways } from './gateway-order';

type OutboundConfig = NonNullable<TrunkConfig['outbound']>;
export type GatewayConfig = OutboundConfig['gateways'][number];

export interface GatewayPlan {
  trunk: string;
  /** Attempt order for this call. */
  gateways: readonly GatewayConfig[];
  /** How long to wait for a gateway's first response before the attempt counts as a timeout. */
  inviteTimeoutMs: number;
  transport: OutboundConfig['transport'];
  failoverOn: readonly (number | string)[];
}

export type PlanStep =
  | { kind: 'try'; attempt: number; gateway: GatewayConfig; timeoutMs: number }
  | { kind: 'give-up'; response: FinalResponse };

/** Undefined when the trunk has no `outbound` section (it cannot be a destination). */
export function planGateways(
  trunk: Pick<TrunkConfig, 'name' | 'outbound'>,
  random: Random = Math.random,
): GatewayPlan | undefined {
  const outbound = trunk.outbound;
  if (outbound === undefined) return undefined;
  return {
    trunk: trunk.name,
    gateways: orderGateways(outbound.gateways, random),
    inviteTimeoutMs: outbound.inviteTimeoutSeconds * 1000,
    transport: outbound.transport,
    failoverOn: outbound.failoverOn,
  };
}

/**
 * What to do after `outcomes` (one per attempt so far, in order; a 2xx answer ends the plan and is
 * never passed here): the next gateway, or the final response when the last outcome does not
 * call for failover or no gateway is left.
 */
export function nextStep(plan: GatewayPlan, outcomes: readonly AttemptOutcome[]): PlanStep {
  const last = outcomes.at(-1);
  const failover = last === undefined || shouldFailover(last, plan.failoverOn);
  const gateway = plan.gateways[outcomes.length];
  if (!failover || gateway === undefined) return { kind: 'give-up', response: finalResponse(outcomes) };
  return { kind: 'try', attempt: outcomes.length, gateway, timeoutMs: plan.inviteTimeoutMs };
}
