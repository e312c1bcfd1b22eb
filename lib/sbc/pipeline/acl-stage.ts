/**
 * acl: a call is admitted only from a configured trunk's sources, or from a device registered
 * through Palisade (asked of the registrar through `isRegisteredSource`); anything else is 403.
 */
import type { PacketSource } from '../routing/trunk-matcher';
import { CONTINUE, type Stage, reject } from './stage';

export interface AclDeps {
  /** True when a registration's flow comes from this address/port/transport. Absent: trunks only. */
  isRegisteredSource?: (source: PacketSource) => Promise<boolean>;
}

export function aclStage(deps: AclDeps = {}): Stage {
  return {
    name: 'acl',
    async run(ctx) {
      if (ctx.sourceTrunk !== undefined) return CONTINUE;
      const registered = (await deps.isRegisteredSource?.(ctx.request.source)) ?? false;
      if (!registered) return reject(403, 'Forbidden');
      ctx.registeredDevice = true;
      return CONTINUE;
    },
  };
}
