/** The next hop of a binding (ADR 0005/0006): the decision table, then nextHop with a memory store. */
import assert from 'node:assert/strict';
import { MemoryStateStore } from '../../../../lib/state/memory-store';
import type { Binding, FlowTransport } from '../../../../lib/state/binding';
import { InstanceForwarding } from '../../../../lib/sbc/peer/instance-forwarding';
import { decideHop, nextHop, type HopFacts, type OwnerState } from '../../../../lib/sbc/peer/next-hop';
import { silentLog } from '../../../../lib/util/logger';

const NOW = 1_700_000_000_000;

describe('next hop decision', () => {
  const facts = (owner: OwnerState, transport: FlowTransport, sharedAddress: boolean): HopFacts => ({
    owner,
    ownerId: 'sbc-b',
    transport,
    sharedAddress,
    forwardedBy: undefined,
  });
  // [owner, transport, shared address] → decision
  const table: [OwnerState, FlowTransport, boolean, string][] = [
    ['self', 'udp', false, 'flow'],
    ['self', 'tcp', true, 'flow'],
    ['serving', 'udp', false, 'forward'],
    ['serving', 'udp', true, 'forward'],
    ['serving', 'tls', true, 'forward'],
    ['draining', 'udp', false, 'forward'],
    ['draining', 'udp', true, 'adopt'],
    ['draining', 'tcp', true, 'forward'],
    ['draining', 'ws', true, 'forward'],
    ['dead', 'udp', false, 'unreachable'],
    ['dead', 'udp', true, 'adopt'],
    ['dead', 'tcp', true, 'unreachable'],
    ['dead', 'tls', true, 'unreachable'],
    ['dead', 'wss', false, 'unreachable'],
  ];
  for (const [owner, transport, shared, expected] of table) {
    it(`${owner} owner, ${transport}, ${shared ? 'shared' : 'own'} address → ${expected}`, () => {
      assert.equal(decideHop(facts(owner, transport, shared)).kind, expected);
    });
  }

  it('a forwarded request is delivered only over a flow held here, never forwarded or adopted', () => {
    for (const owner of ['serving', 'draining', 'dead'] as const)
      assert.deepEqual(decideHop({ ...facts(owner, 'udp', true), forwardedBy: 'sbc-a' }), {
        kind: 'unreachable',
        why: 'forwarded by sbc-a: never forwarded again',
      });
    assert.equal(decideHop({ ...facts('self', 'udp', true), forwardedBy: 'sbc-a' }).kind, 'flow');
  });

  it('says why a dead owner’s flow is skipped', () => {
    assert.match(
      (decideHop(facts('dead', 'tcp', true)) as { why: string }).why,
      /flow owner sbc-b is not alive \(its tcp connection ended with it\)/,
    );
    assert.match(
      (decideHop(facts('dead', 'udp', false)) as { why: string }).why,
      /NAT mapping points at that instance/,
    );
  });
});

function binding(owner: string, transport: FlowTransport = 'udp'): Binding {
  return {
    aor: 'sip:alice@example.com',
    contact: `sip:alice@192.168.1.20:5060;transport=${transport}`,
    flow: { transport, sourceAddress: '203.0.113.7', sourcePort: 40000, listenerId: 'udp-0', owner },
    path: [],
    expiresAt: NOW + 600_000,
    callId: 'reg-1',
    cseq: 7,
  };
}

async function setup(sharedAddress: boolean) {
  const state = new MemoryStateStore({ now: () => NOW });
  await state.connect();
  const announce = (id: string, address: string, draining?: boolean) =>
    state.announceInstance(
      {
        id,
        sipUri: `sip:${address}:5070;transport=udp`,
        address,
        startedAt: NOW,
        heartbeatAt: NOW,
        ...(draining === undefined ? {} : { draining }),
      },
      15,
    );
  await announce('sbc-a', '10.0.0.5');
  const a = new InstanceForwarding({
    self: 'sbc-a',
    secret: 'k',
    instances: state,
    bindings: state,
    sharedAddress,
    wallNow: () => NOW,
    log: silentLog,
  });
  return { state, a, announce };
}

const owners = async (state: MemoryStateStore): Promise<string[]> =>
  (await state.getBindings('sip:alice@example.com')).map((b) => b.flow.owner);

/** Lets the adoption started by nextHop (not awaited by the send) finish. */
const settle = () => new Promise<void>((r) => setTimeout(r, 10));

describe('next hop with the InstanceStore', () => {
  it('a draining owner still gets the call (own addresses); behind a shared address its UDP flow is adopted', async () => {
    const own = await setup(false);
    await own.announce('sbc-b', '10.0.0.6', true);
    await own.state.putBinding(binding('sbc-b'));
    const viaB = await nextHop('sbc-a', own.a, {}, binding('sbc-b'));
    assert.equal(viaB.kind, 'peer');
    assert.equal((viaB as { proxy: string }).proxy, 'sip:10.0.0.6:5070;transport=udp');
    await settle();
    assert.deepEqual(await owners(own.state), ['sbc-b'], 'not adopted without a shared address');

    const shared = await setup(true);
    await shared.announce('sbc-b', '10.0.0.6', true);
    await shared.state.putBinding(binding('sbc-b'));
    assert.deepEqual(await nextHop('sbc-a', shared.a, {}, binding('sbc-b')), { kind: 'flow' });
    await settle();
    assert.deepEqual(await owners(shared.state), ['sbc-a'], 'adopted');
  });

  it('behind a shared address: a dead owner’s UDP flow is used and adopted, its TCP flow skipped', async () => {
    const t = await setup(true);
    await t.state.putBinding(binding('sbc-gone'));
    assert.deepEqual(await nextHop('sbc-a', t.a, {}, binding('sbc-gone')), { kind: 'flow' });
    await settle();
    assert.deepEqual(await owners(t.state), ['sbc-a']);
    const tcp = binding('sbc-gone', 'tcp');
    assert.equal((await nextHop('sbc-a', t.a, {}, tcp)).kind, 'unreachable');
  });

  it('a serving owner is forwarded to even behind a shared address', async () => {
    const t = await setup(true);
    await t.announce('sbc-b', '10.0.0.6');
    await t.state.putBinding(binding('sbc-b'));
    assert.equal((await nextHop('sbc-a', t.a, {}, binding('sbc-b'))).kind, 'peer');
    await settle();
    assert.deepEqual(await owners(t.state), ['sbc-b']);
  });
});
