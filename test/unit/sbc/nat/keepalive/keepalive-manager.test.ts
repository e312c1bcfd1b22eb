import { strict as assert } from 'node:assert';
import { FakeClock } from '../../../../../lib/util/clock';
import { silentLog } from '../../../../../lib/util/logger';
import type { Binding } from '../../../../../lib/state/binding';
import { nullNatObserver } from '../../../../../lib/sbc/nat/nat-observer';
import { DEFAULT_POLICY } from '../../../../../lib/sbc/nat/keepalive/keepalive-machine';
import { KeepaliveManager } from '../../../../../lib/sbc/nat/keepalive/keepalive-manager';

const S = 1000;

function binding(over: Partial<Binding> = {}, port = 40001): Binding {
  return {
    aor: 'sip:alice@example.com',
    contact: '<sip:alice@192.168.1.20:5060>',
    flow: {
      transport: 'udp',
      sourceAddress: '203.0.113.7',
      sourcePort: port,
      listenerId: 'udp-0',
      owner: 'me',
    },
    path: [],
    expiresAt: Date.now() + 3600_000,
    ...over,
  };
}

const flush = () => new Promise((r) => setImmediate(r));

function setup(answer: (n: number) => boolean, mode: 'fixed' | 'adaptive' = 'adaptive') {
  const clock = new FakeClock();
  const sent: string[] = [];
  const unreachable: string[][] = [];
  const counts = { sent: 0, answered: 0, missed: 0 };
  const manager = new KeepaliveManager({
    policy: { ...DEFAULT_POLICY, mode, startMs: 15 * S, minMs: 5 * S, maxMs: 300 * S, maxMissed: 3 },
    method: 'options',
    sender: {
      send: ({ contact }) => {
        sent.push(contact);
        return Promise.resolve(answer(sent.length));
      },
    },
    clock,
    instance: 'me',
    observer: {
      ...nullNatObserver,
      keepaliveSent: () => {
        counts.sent++;
      },
      keepaliveResult: (_m, r) => {
        counts[r]++;
      },
    },
    log: silentLog,
    onUnreachable: (b) => unreachable.push(b.map((x) => x.aor)),
  });
  /** Advance in 1 s steps so async sends settle between timers. */
  const advance = async (ms: number) => {
    for (let t = 0; t < ms; t += S) {
      clock.advance(S);
      await flush();
    }
  };
  return { clock, manager, sent, unreachable, counts, advance };
}

const NAT = { natted: true, signals: ['contact-internal'] };

describe('sbc/nat/keepalive/keepalive-manager', () => {
  it('keeps a NATed UDP flow alive, growing the interval while answered', async () => {
    const t = setup(() => true);
    t.manager.bound(binding(), NAT);
    await t.advance(15 * S);
    assert.deepEqual(t.sent, ['<sip:alice@192.168.1.20:5060>']);
    await t.advance(22.5 * S);
    assert.equal(t.sent.length, 2);
    const [flow] = t.manager.list();
    assert.ok(flow);
    assert.equal(flow.flow, 'udp:203.0.113.7:40001@udp-0');
    assert.deepEqual(flow.aors, ['sip:alice@example.com']);
    assert.equal(flow.phase, 'probing');
    assert.equal(flow.intervalSeconds, 33.8);
    assert.deepEqual(flow.lifetime, { atLeastSeconds: 22.5, atMostSeconds: null });
    assert.deepEqual([flow.sent, flow.answered, flow.missed], [2, 2, 0]);
    assert.deepEqual(t.counts, { sent: 2, answered: 2, missed: 0 });
  });

  it('ignores public clients, TCP flows and flows of other instances', async () => {
    const t = setup(() => true);
    t.manager.bound(binding(), { natted: false, signals: [] });
    t.manager.bound(binding({ flow: { ...binding().flow, transport: 'tcp' } }), NAT);
    t.manager.bound(binding({ flow: { ...binding().flow, owner: 'other' } }), NAT);
    await t.advance(60 * S);
    assert.deepEqual(t.sent, []);
    assert.deepEqual(t.manager.list(), []);
  });

  it('one schedule per flow, stopped when its last binding goes', async () => {
    const t = setup(() => true, 'fixed');
    const line2 = binding({ aor: 'sip:bob@example.com' });
    t.manager.bound(binding(), NAT);
    t.manager.bound(line2, NAT);
    await t.advance(15 * S);
    assert.equal(t.sent.length, 1);
    assert.deepEqual(t.manager.list()[0]?.aors, ['sip:alice@example.com', 'sip:bob@example.com']);
    t.manager.unbound(binding(), 'removed');
    await t.advance(15 * S);
    assert.equal(t.sent.length, 2);
    t.manager.unbound(line2, 'expired');
    await t.advance(60 * S);
    assert.equal(t.sent.length, 2);
    assert.deepEqual(t.manager.list(), []);
  });

  it('a refresh (re-REGISTER) restarts the count, so an active client needs no keepalive', async () => {
    const t = setup(() => true, 'fixed');
    t.manager.bound(binding(), NAT);
    for (let i = 0; i < 5; i++) {
      await t.advance(10 * S);
      t.manager.bound(binding(), NAT);
    }
    assert.deepEqual(t.sent, []);
  });

  it('reports a flow that stops answering once, with its AORs', async () => {
    const t = setup((n) => n <= 1);
    t.manager.bound(binding(), NAT);
    await t.advance(15 * S); // answered
    await t.advance(22.5 * S); // missed → retry missed → lost
    const flow = t.manager.list()[0];
    assert.equal(flow?.phase, 'lost');
    assert.deepEqual(flow.lifetime, { atLeastSeconds: 15, atMostSeconds: 22.5 });
    assert.equal(flow.intervalSeconds, 12);
    assert.deepEqual(t.unreachable, []);
    await t.advance(12 * S); // third miss
    assert.deepEqual(t.unreachable, [['sip:alice@example.com']]);
    assert.equal(t.manager.list()[0]?.unreachable, true);
    await t.advance(60 * S);
    assert.equal(t.unreachable.length, 1, 'reported once');
  });

  it('a new flow from the same NAT starts from what the last one learnt', async () => {
    const t = setup((n) => n <= 1);
    t.manager.bound(binding(), NAT);
    await t.advance(40 * S);
    t.manager.unbound(binding(), 'replaced');
    t.manager.bound(binding({}, 40002), NAT);
    const flow = t.manager.list()[0];
    assert.equal(flow?.flow, 'udp:203.0.113.7:40002@udp-0');
    assert.equal(flow.phase, 'settled');
    assert.equal(flow.intervalSeconds, 12);
    assert.deepEqual(flow.lifetime, { atLeastSeconds: 15, atMostSeconds: 22.5 });
  });

  it('stop() cancels every timer', async () => {
    const t = setup(() => true);
    t.manager.bound(binding(), NAT);
    t.manager.stop();
    await t.advance(60 * S);
    assert.deepEqual(t.sent, []);
    assert.equal(t.clock.pendingCount, 0);
  });
});
