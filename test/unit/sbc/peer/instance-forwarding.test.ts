import assert from 'node:assert/strict';
import { MemoryStateStore } from '../../../../lib/state/memory-store';
import type { Binding } from '../../../../lib/state/binding';
import { bindingKey } from '../../../../lib/state/binding';
import { InstanceForwarding } from '../../../../lib/sbc/peer/instance-forwarding';
import { FORWARD_HEADER, signForward } from '../../../../lib/sbc/peer/forward-token';
import { nextHop } from '../../../../lib/sbc/peer/next-hop';
import { silentLog } from '../../../../lib/util/logger';
import { headersOf, inviteRequest } from '../helpers';

const NOW = 1_700_000_000_000;

function binding(owner: string, contact = 'sip:alice@192.168.1.20:5060'): Binding {
  return {
    aor: 'sip:alice@example.com',
    contact,
    flow: { transport: 'udp', sourceAddress: '203.0.113.7', sourcePort: 40000, listenerId: 'udp-0', owner },
    path: [],
    expiresAt: NOW + 600_000,
  };
}

async function setup() {
  const state = new MemoryStateStore({ now: () => NOW });
  await state.connect();
  const announce = (id: string, address: string) =>
    state.announceInstance(
      { id, sipUri: `sip:${address}:5070;transport=udp`, address, startedAt: NOW, heartbeatAt: NOW },
      15,
    );
  await announce('sbc-a', '10.0.0.5');
  await announce('sbc-b', '10.0.0.6');
  const make = (self: string) =>
    new InstanceForwarding({
      self,
      secret: 'k',
      instances: state,
      bindings: state,
      wallNow: () => NOW,
      log: silentLog,
    });
  return { state, a: make('sbc-a'), b: make('sbc-b') };
}

/** The route to a binding's owner, undefined when the owner is not alive. */
async function routeFor(f: InstanceForwarding, b: Binding) {
  const owner = await f.owner(b.flow.owner);
  return owner === undefined ? undefined : f.routeTo(owner, b);
}

const forwarded = (token: string, address: string) =>
  inviteRequest({ headers: headersOf([[FORWARD_HEADER, token]]), source: { address } });

describe('instance forwarding', () => {
  it('A routes a binding B owns to B’s internal URI with a token B admits from A’s address', async () => {
    const { state, a, b } = await setup();
    const bound = binding('sbc-b');
    await state.putBinding(bound);
    const route = await routeFor(a, bound);
    assert.equal(route?.proxy, 'sip:10.0.0.6:5070;transport=udp');
    const token = route.headers[FORWARD_HEADER] ?? '';
    assert.deepEqual(await b.admit(forwarded(token, '10.0.0.5')), {
      kind: 'admitted',
      from: 'sbc-a',
      binding: bound,
    });
    assert.deepEqual(await b.admit(forwarded(token, '::ffff:10.0.0.5')), {
      kind: 'admitted',
      from: 'sbc-a',
      binding: bound,
    });
  });

  it('B refuses: wrong source (403), a token for another instance (403), a binding not held here (480)', async () => {
    const { state, a, b } = await setup();
    const bound = binding('sbc-b');
    await state.putBinding(bound);
    const token = (await routeFor(a, bound))?.headers[FORWARD_HEADER] ?? '';
    assert.deepEqual(await b.admit(forwarded(token, '198.51.100.9')), {
      kind: 'refused',
      status: 403,
      reason: 'Forbidden',
    });
    assert.equal((await a.admit(forwarded(token, '10.0.0.6'))).kind, 'refused', 'the token names sbc-b');
    const moved = signForward('k', {
      from: 'sbc-a',
      to: 'sbc-b',
      aor: bound.aor,
      binding: bindingKey(binding('sbc-b', 'sip:other@192.168.1.21')),
      expires: NOW / 1000 + 60,
    });
    assert.deepEqual(await b.admit(forwarded(moved, '10.0.0.5')), {
      kind: 'refused',
      status: 480,
      reason: 'Temporarily Unavailable',
    });
    await state.putBinding(binding('sbc-a'));
    const ownedByA = signForward('k', {
      from: 'sbc-a',
      to: 'sbc-b',
      aor: bound.aor,
      binding: bindingKey(binding('sbc-a')),
      expires: NOW / 1000 + 60,
    });
    assert.equal((await b.admit(forwarded(ownedByA, '10.0.0.5'))).kind, 'refused', 'never forwarded again');
  });

  it('a request without the header is not forwarded; an instance that is not alive has no route', async () => {
    const { state, a, b } = await setup();
    assert.deepEqual(await b.admit(inviteRequest()), { kind: 'not-forwarded' });
    assert.equal(await routeFor(a, binding('sbc-gone')), undefined);
    await state.withdrawInstance('sbc-a');
    const token = signForward('k', {
      from: 'sbc-a',
      to: 'sbc-b',
      aor: 'x',
      binding: 'y',
      expires: NOW / 1000 + 9,
    });
    assert.equal(
      (await b.admit(forwarded(token, '10.0.0.5'))).kind,
      'refused',
      'a withdrawn sender is no peer',
    );
  });

  it('next hop: own flow, a peer, nothing for a forwarded request or a dead owner; no forwarding → flow', async () => {
    const { a } = await setup();
    assert.deepEqual(await nextHop('sbc-a', a, {}, binding('sbc-a')), { kind: 'flow' });
    assert.equal((await nextHop('sbc-a', a, {}, binding('sbc-b'))).kind, 'peer');
    assert.equal((await nextHop('sbc-a', a, { forwardedBy: 'sbc-c' }, binding('sbc-b'))).kind, 'unreachable');
    assert.equal((await nextHop('sbc-a', a, {}, binding('sbc-gone'))).kind, 'unreachable');
    assert.deepEqual(await nextHop('sbc-a', undefined, {}, binding('sbc-b')), { kind: 'flow' });
  });
});
