/**
 * Admission of a new INVITE: a request forwarded by a peer instance (X-Palisade-Forwarded) is
 * checked by instance-forwarding.ts and, once admitted, skips the pipeline's trunk ACL, limits
 * and routing — the sending instance already admitted and counted the call — and goes to the
 * one binding it names. Any other INVITE runs the pipeline. Only classify runs for both, for
 * the request's identities and sanity (RFC 3261 §8.2).
 */
import { toError } from '../../util/errors';
import type { CallContext } from '../pipeline/context';
import { classifyStage } from '../pipeline/classify-stage';
import type { InvitePipeline } from '../pipeline/invite-pipeline';
import type { PipelineOutcome } from '../pipeline/runner';
import { reject } from '../pipeline/stage';
import { TrunkMatcher } from '../routing/trunk-matcher';
import type { InstanceForwarding } from './instance-forwarding';

const classifyOnly = classifyStage(new TrunkMatcher([]));

export async function admitInvite(
  deps: { pipeline: InvitePipeline; forwarding?: InstanceForwarding | undefined },
  ctx: CallContext,
): Promise<PipelineOutcome> {
  let forwarded;
  try {
    forwarded = await deps.forwarding?.admit(ctx.request);
  } catch (e) {
    // StateStore unreachable: the binding cannot be looked up here now (RFC 3261 §21.5.4).
    const error = toError(e);
    return { kind: 'rejected', stage: 'forwarded', rejection: reject(503, 'Service Unavailable'), error };
  }
  if (forwarded === undefined || forwarded.kind === 'not-forwarded') return deps.pipeline.run(ctx);
  if (forwarded.kind === 'refused')
    return { kind: 'rejected', stage: 'forwarded', rejection: reject(forwarded.status, forwarded.reason) };
  const classified = await classifyOnly.run(ctx);
  if (classified.kind === 'reject') return { kind: 'rejected', stage: 'forwarded', rejection: classified };
  ctx.forwardedBy = forwarded.from;
  ctx.registeredTargets = [forwarded.binding];
  return { kind: 'accepted' };
}
