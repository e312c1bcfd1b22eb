/** Adopting a dead or draining peer's UDP flow (ADR 0006): only the registration that was read. */
import assert from 'node:assert/strict';
import { MemoryStateStore } from '../../../../lib/state/memory-store';
import type { Binding } from '../../../../lib/state/binding';
import { adoptFlow } from '../../../../lib/sbc/peer/flow-adoption';
import { capturingLog } from '../../../support/capture-log';

const NOW = 1_700_000_000_000;

const seen: Binding = {
  aor: 'sip:alice@example.com',
  contact: 'sip:alice@192.168.1.20:5060',
  instanceId: '<urn:uuid:00000000-0000-0000-0000-000000000001>',
  regId: 1,
  flow: {
    transport: 'udp',
    sourceAddress: '203.0.113.7',
    sourcePort: 40000,
    listenerId: 'udp-0',
    owner: 'sbc-b',
  },
  path: [],
  expiresAt: NOW + 600_000,
  callId: 'reg-1',
  cseq: 7,
};

async function setup() {
  const state = new MemoryStateStore({ now: () => NOW });
  await state.connect();
  const captured = capturingLog();
  return { state, captured, deps: { self: 'sbc-a', bindings: state, log: captured.log } };
}

describe('flow adoption', () => {
  it('rewrites the owner, keeping the flow, expiry and registration', async () => {
    const t = await setup();
    await t.state.putBinding(seen);
    assert.equal(await adoptFlow(t.deps, seen), true);
    const [now] = await t.state.getBindings(seen.aor);
    assert.deepEqual(now, { ...seen, flow: { ...seen.flow, owner: 'sbc-a' } });
    assert.ok(t.captured.lines.some((l) => l.msg === 'flow adopted'));
  });

  it('leaves a binding that changed meanwhile: re-registered, moved, adopted by another, or gone', async () => {
    const changes: Binding[] = [
      { ...seen, cseq: 8 },
      { ...seen, flow: { ...seen.flow, sourcePort: 40001 } },
      { ...seen, flow: { ...seen.flow, owner: 'sbc-c' } },
    ];
    for (const changed of changes) {
      const t = await setup();
      await t.state.putBinding(changed);
      assert.equal(await adoptFlow(t.deps, seen), false, JSON.stringify(changed));
      assert.deepEqual(await t.state.getBindings(seen.aor), [changed]);
    }
    const t = await setup();
    assert.equal(await adoptFlow(t.deps, seen), false, 'gone');
    assert.deepEqual(await t.state.getBindings(seen.aor), []);
  });

  it('never throws: a failing store is logged', async () => {
    const captured = capturingLog();
    const failing = {
      getBindings: () => Promise.reject(new Error('redis down')),
      putBinding: () => Promise.resolve(),
    };
    assert.equal(await adoptFlow({ self: 'sbc-a', bindings: failing, log: captured.log }, seen), false);
    assert.ok(captured.lines.some((l) => l.level === 'warn' && l.msg === 'flow adoption failed'));
  });
});
