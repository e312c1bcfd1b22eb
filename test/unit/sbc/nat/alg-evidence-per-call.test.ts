/**
 * ALG evidence once per client and Call-ID (evidence-dedup.ts, alg-monitor.ts): the same
 * evidence repeated on one Call-ID (retransmission, challenged retry, re-INVITE, REGISTER
 * refresh) is counted, logged and scored once; another Call-ID counts again; the same Call-ID
 * counts again after half the suspicion half-life.
 */
import { strict as assert } from 'node:assert';
import { AlgMonitor } from '../../../../lib/sbc/nat/alg-monitor';
import type { AlgFinding } from '../../../../lib/sbc/nat/alg-detect';
import { EvidenceDedup } from '../../../../lib/sbc/nat/evidence-dedup';
import { nullNatObserver } from '../../../../lib/sbc/nat/nat-observer';
import { MemoryStateStore } from '../../../../lib/state/memory-store';
import { FakeClock } from '../../../../lib/util/clock';
import { silentLog, type Log, type LogFn } from '../../../../lib/util/logger';

const REWRITE: AlgFinding = {
  signal: 'partial-rewrite',
  detail: 'Via 203.0.113.7 = source, Contact 192.168.1.20',
};
const TAMPER: AlgFinding = { signal: 'via-params-tampered', detail: 'request Via received=10.0.0.1' };

function setup() {
  const clock = new FakeClock();
  const infos: Record<string, unknown>[] = [];
  const evidence: string[] = [];
  const info: LogFn = (obj: object | string) => {
    if (typeof obj === 'object') infos.push(obj as Record<string, unknown>);
  };
  const log: Log = { ...silentLog, info, child: () => log };
  const monitor = new AlgMonitor({
    clock,
    store: new MemoryStateStore(),
    observer: { ...nullNatObserver, algEvidence: (s) => evidence.push(s) },
    log,
    instance: 'sbc-1',
    listTtlSeconds: 3600,
  });
  return { clock, monitor, infos, evidence };
}

describe('sbc/nat: ALG evidence per client and Call-ID', () => {
  it('repeats on one Call-ID count once: one metric increment, one log line, no suspicion from repeats', () => {
    const t = setup();
    for (let i = 0; i < 5; i++) t.monitor.observe('203.0.113.7', [REWRITE], { callId: 'c1@192.168.1.20' });
    assert.deepEqual(t.evidence, ['partial-rewrite']);
    assert.equal(t.infos.length, 1);
    assert.deepEqual(t.infos[0]?.['signals'], ['partial-rewrite']);
    assert.equal(t.infos[0]['callId'], 'c1@192.168.1.20');
    assert.equal(t.monitor.isSuspected('203.0.113.7'), false, 'weight 0.5 once: a hint only');
    t.monitor.observe('203.0.113.7', [REWRITE], { callId: 'c2@192.168.1.20' });
    assert.deepEqual(t.evidence, ['partial-rewrite', 'partial-rewrite']);
    assert.equal(t.infos.length, 2);
    assert.equal(t.monitor.isSuspected('203.0.113.7'), true, 'two calls make a suspect');
  });

  it('a new signal on a known Call-ID counts (no second log line); another client is separate', () => {
    const t = setup();
    t.monitor.observe('203.0.113.7', [REWRITE], { callId: 'c1' });
    t.monitor.observe('203.0.113.7', [REWRITE, TAMPER], { callId: 'c1' });
    t.monitor.observe('203.0.113.8', [REWRITE], { callId: 'c1' });
    assert.deepEqual(t.evidence, ['partial-rewrite', 'via-params-tampered', 'partial-rewrite']);
    assert.equal(t.infos.length, 2);
  });

  it('without a Call-ID every observation counts (registration churn, media checks)', () => {
    const t = setup();
    t.monitor.observe('203.0.113.7', [REWRITE]);
    t.monitor.observe('203.0.113.7', [REWRITE]);
    assert.equal(t.evidence.length, 2);
    assert.equal(t.infos.length, 0);
  });

  it('the same Call-ID counts again after repeatAfterMs, and the table stays bounded', () => {
    let now = 0;
    const d = new EvidenceDedup(() => now, 1000, 3);
    assert.equal(d.fresh('a', 'c', [REWRITE]).findings.length, 1);
    now = 999;
    assert.equal(d.fresh('a', 'c', [REWRITE]).findings.length, 0);
    now = 1000;
    const again = d.fresh('a', 'c', [REWRITE]);
    assert.equal(again.findings.length, 1);
    assert.equal(again.firstForCall, false);
    for (const c of ['d', 'e', 'f', 'g']) d.fresh('a', c, [REWRITE]);
    assert.equal(d.size, 3);
  });
});
