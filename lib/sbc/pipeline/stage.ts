/**
 * One step of the INVITE path (DESIGN.md "pipeline"): a stage looks at (and may fill in) the call
 * context and either lets the call continue or rejects it with a SIP status.
 */
import type { CallContext } from './context';
import type { HeaderField } from '../../sip';
import { PalisadeError } from '../../util/errors';

export interface Continue {
  kind: 'continue';
}

export interface Reject {
  kind: 'reject';
  status: number;
  reason: string;
  headers?: readonly HeaderField[];
}

export type StageResult = Continue | Reject;

export interface Stage {
  /** Stable, bounded name (used as a metric label for rejections). */
  readonly name: string;
  run(ctx: CallContext): Promise<StageResult>;
}

export const CONTINUE: Continue = { kind: 'continue' };

export function reject(status: number, reason: string, headers?: readonly HeaderField[]): Reject {
  return headers === undefined
    ? { kind: 'reject', status, reason }
    : { kind: 'reject', status, reason, headers };
}

/** A field an earlier stage should have set; its absence is a wiring bug (answered 500). */
export function required<T>(value: T | undefined, what: string): T {
  if (value === undefined) {
    throw new PalisadeError('SBC_PIPELINE_ORDER', `pipeline stage needs ${what}, set by an earlier stage`, {
      sipStatus: 500,
    });
  }
  return value;
}
