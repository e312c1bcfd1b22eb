/** Who may take a call over (takeover/call-claims.ts), against the memory StateStore. */
import assert from 'node:assert/strict';
import { MemoryStateStore } from '../../../../lib/state/memory-store';
import type { CallRecord } from '../../../../lib/state/call-record';
import { CallClaims } from '../../../../lib/sbc/takeover/call-claims';
import { silentLog } from '../../../../lib/util/logger';

const NOW = 1_700_000_000_000;

function record(id: string, owner: string): CallRecord {
  return {
    id,
    owner,
    state: 'answered',
    inbound: { dialog: { callId: `in-${id}`, localTag: `li-${id}`, remoteTag: `ri-${id}` }, routeSet: [] },
    outbound: { dialog: { callId: `out-${id}`, localTag: `lo-${id}`, remoteTag: `ro-${id}` }, routeSet: [] },
    createdAt: NOW,
    answeredAt: NOW,
  };
}

describe('takeover claims', () => {
  let state: MemoryStateStore;
  let probes: string[];
  let alive: Set<string>;
  const claims = (self: string): CallClaims =>
    new CallClaims({
      instanceId: self,
      state,
      probe: (uri) => {
        probes.push(uri);
        return Promise.resolve(alive.has(uri));
      },
      probeTimeoutMs: 100,
      now: () => NOW,
      log: silentLog,
    });
  const announce = (id: string): Promise<void> =>
    state.announceInstance(
      { id, sipUri: `sip:${id}.internal:5070`, address: '192.0.2.1', startedAt: NOW, heartbeatAt: NOW },
      60,
    );

  beforeEach(async () => {
    state = new MemoryStateStore({ now: () => NOW });
    await state.connect();
    probes = [];
    alive = new Set();
  });

  it('takes a call whose owner has no instance entry, and rewrites it as its own', async () => {
    await state.putCall(record('c1', 'a'), 60);
    const got = await claims('b').claim('out-c1', 'lo-c1');
    assert.equal(got?.owner, 'b');
    assert.equal((await state.getCall('c1'))?.owner, 'b');
    assert.deepEqual(probes, []);
  });

  it('probes an owner whose entry outlives it, and takes the call only if it does not answer', async () => {
    await announce('a');
    await state.putCall(record('c2', 'a'), 60);
    alive.add('sip:a.internal:5070');
    assert.equal(await claims('b').claim('in-c2', 'li-c2'), undefined);
    assert.equal((await state.getCall('c2'))?.owner, 'a');
    alive.clear();
    assert.equal((await claims('c').claim('in-c2', 'li-c2'))?.owner, 'c');
  });

  it('lets one of two survivors win, and shares one claim between requests of one call', async () => {
    await state.putCall(record('c3', 'a'), 60);
    const b = claims('b');
    const [x, y, z] = await Promise.all([
      b.claim('in-c3', 'li-c3'),
      b.claim('out-c3', 'lo-c3'),
      claims('c').claim('in-c3', 'li-c3'),
    ]);
    assert.equal(x?.owner, 'b');
    assert.equal(y?.owner, 'b');
    assert.equal(z, undefined);
  });

  it('hands a claimed record to the app once, by either leg', async () => {
    await state.putCall(record('c4', 'a'), 60);
    const b = claims('b');
    await b.claim('in-c4', 'li-c4');
    assert.equal(b.takeClaimed('out-c4', 'lo-c4')?.id, 'c4');
    assert.equal(b.takeClaimed('in-c4', 'li-c4'), undefined);
  });

  it('finds nothing for an unknown dialog', async () => {
    assert.equal(await claims('b').claim('nope', 'x'), undefined);
  });
});
