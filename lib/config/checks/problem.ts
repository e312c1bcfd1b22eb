/** A cross-field problem found after a subtree parsed: where (relative path) and why. */
import type { z } from 'zod';

export interface Problem {
  path: (string | number)[];
  message: string;
}

/** Hand problems found by a pure check to zod, so they are reported with every other issue. */
export function reportTo(ctx: z.RefinementCtx, problems: readonly Problem[]): void {
  for (const problem of problems)
    ctx.addIssue({ code: 'custom', path: problem.path, message: problem.message });
}
