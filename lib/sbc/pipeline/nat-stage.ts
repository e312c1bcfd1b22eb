/**
 * nat: classify the caller for NAT traversal (issue 7 point 1) and record the verdict on the
 * call context — the media stage of connect uses it for the caller's leg profile (latching for
 * NATed legs) and the CDR carries its signals. Never rejects: a NATed caller is served, not refused.
 */
import type { NatInspector } from '../nat/nat-inspector';
import { CONTINUE, type Stage } from './stage';

export function natStage(inspector: NatInspector): Stage {
  return {
    name: 'nat',
    run(ctx) {
      ctx.nat = inspector.inspect(ctx.request, { identity: ctx.identity?.from });
      return Promise.resolve(CONTINUE);
    },
  };
}
