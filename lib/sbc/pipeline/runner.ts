/**
 * Runs stages in order and stops at the first rejection, reporting which stage rejected (for the
 * `palisade_calls_total{outcome}`-style metrics and logs). A stage that throws is a rejection too:
 * with the error's SIP status when it is a PalisadeError carrying one, else 500.
 */
import type { CallContext } from './context';
import type { Reject, Stage } from './stage';
import { PalisadeError, toError } from '../../util/errors';

export type PipelineOutcome =
  { kind: 'accepted' } | { kind: 'rejected'; stage: string; rejection: Reject; error?: Error };

function rejectionFor(error: Error): Reject {
  const status = error instanceof PalisadeError ? error.sipStatus : undefined;
  return {
    kind: 'reject',
    status: status ?? 500,
    reason: status === undefined ? 'Server Internal Error' : error.message,
  };
}

export interface RunOptions {
  /** Called once when the call is rejected, e.g. to release slots already taken. */
  onReject?: (ctx: CallContext, outcome: Extract<PipelineOutcome, { kind: 'rejected' }>) => Promise<void>;
}

export async function runPipeline(
  stages: readonly Stage[],
  ctx: CallContext,
  options: RunOptions = {},
): Promise<PipelineOutcome> {
  for (const stage of stages) {
    let outcome: Extract<PipelineOutcome, { kind: 'rejected' }> | undefined;
    try {
      const result = await stage.run(ctx);
      if (result.kind === 'reject') outcome = { kind: 'rejected', stage: stage.name, rejection: result };
    } catch (thrown) {
      const error = toError(thrown);
      outcome = { kind: 'rejected', stage: stage.name, rejection: rejectionFor(error), error };
    }
    if (outcome !== undefined) {
      await options.onReject?.(ctx, outcome);
      return outcome;
    }
  }
  return { kind: 'accepted' };
}
