/**
 * Where the INVITE for one binding goes (connect-registered.ts; ADR 0005 and 0006): over the
 * device's flow when this instance holds it, or through the instance that does
 * (instance-forwarding.ts). A draining owner still delivers (the call is for an existing
 * registration, not new load). An owner that is dead or draining can be bypassed only for a UDP
 * flow behind a shared advertised address: the device's NAT mapping points at that address, which
 * this instance sends from too, so it sends over the flow itself and adopts the binding
 * (flow-adoption.ts). A TCP/TLS/WS connection is a socket in its owner's process: never re-used.
 * Without forwarding configured (a single instance) every binding is delivered over its flow.
 * A request that was itself forwarded is only ever delivered locally (no forwarding loops).
 */
import type { Binding, FlowTransport } from '../../state/binding';
import type { CallContext } from '../pipeline/context';
import type { InstanceForwarding } from './instance-forwarding';

export type NextHop =
  | { kind: 'flow' }
  | { kind: 'peer'; proxy: string; headers: Record<string, string> }
  | { kind: 'unreachable'; why: string };

/** The flow owner as the InstanceStore shows it. */
export type OwnerState = 'self' | 'serving' | 'draining' | 'dead';

export type HopDecision =
  { kind: 'flow' } | { kind: 'adopt' } | { kind: 'forward' } | { kind: 'unreachable'; why: string };

export interface HopFacts {
  owner: OwnerState;
  ownerId: string;
  transport: FlowTransport;
  sharedAddress: boolean;
  forwardedBy: string | undefined;
}

/** The pure decision (a table in test/unit/sbc/peer/next-hop.test.ts). */
export function decideHop(f: HopFacts): HopDecision {
  if (f.owner === 'self') return { kind: 'flow' };
  if (f.forwardedBy !== undefined)
    return { kind: 'unreachable', why: `forwarded by ${f.forwardedBy}: never forwarded again` };
  const gone = f.owner === 'dead' || f.owner === 'draining';
  if (gone && f.transport === 'udp' && f.sharedAddress) return { kind: 'adopt' };
  if (f.owner !== 'dead') return { kind: 'forward' };
  const because =
    f.transport === 'udp'
      ? 'its NAT mapping points at that instance’s address'
      : `its ${f.transport} connection ended with it`;
  return { kind: 'unreachable', why: `flow owner ${f.ownerId} is not alive (${because})` };
}

export async function nextHop(
  self: string,
  forwarding: InstanceForwarding | undefined,
  ctx: Pick<CallContext, 'forwardedBy'>,
  b: Binding,
): Promise<NextHop> {
  if (b.flow.owner === self || forwarding === undefined) return { kind: 'flow' };
  if (ctx.forwardedBy !== undefined)
    return { kind: 'unreachable', why: `forwarded by ${ctx.forwardedBy}: never forwarded again` };
  const owner = await forwarding.owner(b.flow.owner);
  const decision = decideHop({
    owner: owner === undefined ? 'dead' : owner.draining === true ? 'draining' : 'serving',
    ownerId: b.flow.owner,
    transport: b.flow.transport,
    sharedAddress: forwarding.sharedAddress,
    forwardedBy: undefined,
  });
  switch (decision.kind) {
    case 'flow':
      return { kind: 'flow' };
    case 'adopt':
      // Adopted as it is used ("when it next sends"); the send does not wait for the write.
      void forwarding.adopt(b);
      return { kind: 'flow' };
    case 'forward':
      return owner === undefined
        ? { kind: 'unreachable', why: `flow owner ${b.flow.owner} is not alive` }
        : { kind: 'peer', ...forwarding.routeTo(owner, b) };
    case 'unreachable':
      return decision;
  }
}
