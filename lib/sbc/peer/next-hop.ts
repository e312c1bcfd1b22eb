/**
 * Where the INVITE for one binding goes (connect-registered.ts): over the device's flow when this
 * instance holds it, or through the instance that does (instance-forwarding.ts). Without
 * forwarding configured (a single instance) every binding is delivered over its flow, as before.
 * A request that was itself forwarded is only ever delivered locally (no forwarding loops).
 */
import type { Binding } from '../../state/binding';
import type { CallContext } from '../pipeline/context';
import type { InstanceForwarding } from './instance-forwarding';

export type NextHop =
  | { kind: 'flow' }
  | { kind: 'peer'; proxy: string; headers: Record<string, string> }
  | { kind: 'unreachable'; why: string };

export async function nextHop(
  self: string,
  forwarding: InstanceForwarding | undefined,
  ctx: Pick<CallContext, 'forwardedBy'>,
  b: Binding,
): Promise<NextHop> {
  if (b.flow.owner === self || forwarding === undefined) return { kind: 'flow' };
  if (ctx.forwardedBy !== undefined)
    return { kind: 'unreachable', why: `forwarded by ${ctx.forwardedBy}: never forwarded again` };
  const route = await forwarding.routeFor(b);
  return route === undefined
    ? { kind: 'unreachable', why: `flow owner ${b.flow.owner} is not alive` }
    : { kind: 'peer', ...route };
}
