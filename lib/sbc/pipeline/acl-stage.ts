/**
 * acl: who may place a call. A trunk's source (classify) goes on. Anything else must be a device
 * of ours (`DeviceGate`, the registrar): one arriving over the flow of a current registration of
 * its From AOR is admitted as that AOR (phones behind NAT call over the flow they registered);
 * otherwise, where credentials are checked (local registrar), it is challenged with 407
 * Proxy-Authenticate (RFC 3261 §22.3) and admitted as the authenticated user once they are right.
 * A wrong password, an unknown source without a way to prove itself, or no registrar: 403.
 * An admitted device calls as its AOR: `identity.from` becomes it (routing `match.from`, the
 * From towards the callee, the CDR's calling party), whatever From the device wrote.
 */
import type { CallContext, DeviceIdentity } from './context';
import type { DeviceGate } from './device-gate';
import { CONTINUE, type Stage, type StageResult, reject } from './stage';

export interface AclDeps {
  /** Calls from devices (the registrar); absent: only trunks may call. */
  devices?: DeviceGate | undefined;
}

function admit(ctx: CallContext, device: DeviceIdentity): StageResult {
  ctx.registeredDevice = true;
  ctx.device = device;
  if (ctx.identity !== undefined) ctx.identity = { ...ctx.identity, from: device.aor };
  return CONTINUE;
}

export async function aclDecision(ctx: CallContext, devices: DeviceGate | undefined): Promise<StageResult> {
  if (ctx.sourceTrunk !== undefined) return CONTINUE;
  if (devices === undefined) return reject(403, 'Forbidden');
  const flowAor = await devices.registeredFlow(ctx.request);
  if (flowAor !== undefined) return admit(ctx, { aor: flowAor, admittedBy: 'flow' });
  const checked = await devices.credentials(ctx.request);
  switch (checked.kind) {
    case 'ok':
      return admit(ctx, { aor: checked.aor, admittedBy: 'digest' });
    case 'challenge':
      return reject(407, 'Proxy Authentication Required', checked.headers);
    case 'forbidden':
      return reject(403, checked.reason);
    case 'unchecked':
      return reject(403, 'Forbidden');
  }
}

export function aclStage(deps: AclDeps = {}): Stage {
  return { name: 'acl', run: (ctx) => aclDecision(ctx, deps.devices) };
}
