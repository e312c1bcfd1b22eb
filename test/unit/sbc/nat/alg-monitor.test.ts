import { strict as assert } from 'node:assert';
import { FakeClock } from '../../../../lib/util/clock';
import type { LogFn, Log } from '../../../../lib/util/logger';
import { silentLog } from '../../../../lib/util/logger';
import { MemoryStateStore } from '../../../../lib/state/memory-store';
import { AlgMonitor } from '../../../../lib/sbc/nat/alg-monitor';
import { nullNatObserver } from '../../../../lib/sbc/nat/nat-observer';

const MIN = 60_000;

function setup() {
  const clock = new FakeClock();
  const store = new MemoryStateStore();
  const warnings: object[] = [];
  const suspected: string[][] = [];
  const evidence: string[] = [];
  const warn: LogFn = (obj: object | string) => {
    if (typeof obj === 'object') warnings.push(obj);
  };
  const log: Log = { ...silentLog, warn, child: () => log };
  const monitor = new AlgMonitor({
    clock,
    wallNow: () => 1_700_000_000_000 + clock.now(),
    store,
    observer: {
      ...nullNatObserver,
      algEvidence: (s) => evidence.push(s),
      algSuspected: (s) => suspected.push([...s]),
    },
    log,
    instance: 'sbc-1',
    listTtlSeconds: 3600,
    refreshMs: 0,
  });
  return { clock, store, monitor, warnings, suspected, evidence };
}

const flush = () => new Promise((r) => setImmediate(r));

describe('sbc/nat/alg-monitor', () => {
  it('suspects a client once its evidence is enough; logs once with the evidence and lists it', async () => {
    const t = setup();
    t.monitor.observe(
      '203.0.113.7',
      [{ signal: 'partial-rewrite', detail: 'Via 203.0.113.7 = source, Contact 192.168.1.20' }],
      {
        userAgent: 'Yealink SIP-T46S',
        identity: 'sip:alice@example.com',
      },
    );
    await flush();
    assert.deepEqual(await t.store.listAlgSuspects(), []);
    assert.equal(t.monitor.isSuspected('203.0.113.7'), false);
    t.monitor.observe('203.0.113.7', [
      { signal: 'contact-sdp-mismatch', detail: 'Contact 192.168.1.20 vs c= 203.0.113.7' },
    ]);
    await flush();
    assert.equal(t.monitor.isSuspected('203.0.113.7'), true);
    assert.deepEqual(t.suspected, [['partial-rewrite', 'contact-sdp-mismatch']]);
    assert.deepEqual(t.evidence, ['partial-rewrite', 'contact-sdp-mismatch']);
    assert.equal(t.warnings.length, 1);
    assert.deepEqual((t.warnings[0] as { client: string }).client, '203.0.113.7');
    const [listed] = await t.store.listAlgSuspects();
    assert.ok(listed);
    assert.equal(listed.client, '203.0.113.7');
    assert.equal(listed.instance, 'sbc-1');
    assert.equal(listed.userAgent, 'Yealink SIP-T46S');
    assert.equal(listed.identity, 'sip:alice@example.com');
    assert.deepEqual(listed.signals, ['partial-rewrite', 'contact-sdp-mismatch']);
    assert.equal(listed.evidence.length, 2);
    t.monitor.observe('203.0.113.7', [{ signal: 'partial-rewrite', detail: 'again' }]);
    assert.equal(t.warnings.length, 1, 'one log line per client');
    assert.equal(t.suspected.length, 1);
  });

  it('a clean client is never listed', async () => {
    const t = setup();
    t.monitor.observe('198.51.100.1', []);
    t.monitor.registration('198.51.100.1', 'sip:bob@example.com', 5060);
    t.monitor.registration('198.51.100.1', 'sip:bob@example.com', 5060);
    await flush();
    assert.deepEqual(await t.store.listAlgSuspects(), []);
    assert.deepEqual(t.evidence, []);
  });

  it('registration churn counts per device, not per NAT', () => {
    const t = setup();
    // Four phones behind one NAT, each on its own stable port: nothing.
    for (let round = 0; round < 3; round++)
      for (let phone = 0; phone < 4; phone++)
        t.monitor.registration('203.0.113.9', `phone-${phone}`, 40000 + phone);
    assert.deepEqual(t.evidence, []);
    // One device whose source port changes at every refresh: churn.
    for (const port of [41000, 41001, 41002, 41003]) {
      t.clock.advance(MIN);
      t.monitor.registration('203.0.113.9', 'phone-9', port);
    }
    assert.deepEqual(t.evidence, ['registration-unstable']);
  });

  it('forgets a client whose evidence decayed (router ALG switched off)', async () => {
    const t = setup();
    t.monitor.observe('203.0.113.7', [{ signal: 'via-params-tampered', detail: 'received=10.0.0.1' }]);
    assert.equal(t.monitor.isSuspected('203.0.113.7'), true);
    t.clock.advance(24 * 60 * MIN);
    t.monitor.sweep();
    assert.equal(t.monitor.isSuspected('203.0.113.7'), false);
    assert.equal(t.monitor.trackedClients, 0);
    await flush();
  });
});
