import assert from 'node:assert/strict';
import {
  DEFAULT_TIMER_CONFIG,
  backoff,
  timerConfig,
  timerD,
  timerJ,
  timerT4Wait,
  transactionTimeout,
} from '../../../../lib/sip/transaction/timers';

describe('transaction timer values (RFC 3261 Table 4)', () => {
  it('defaults to T1 = 500 ms, T2 = 4 s, T4 = 5 s, unreliable, 100 Trying after 200 ms', () => {
    assert.deepEqual(timerConfig(), { t1: 500, t2: 4000, t4: 5000, reliable: false, tryingDelay: 200 });
    assert.deepEqual(DEFAULT_TIMER_CONFIG, timerConfig());
  });

  it('derives B/F/H/L/M, D, I/K and J from T1, T4 and the transport', () => {
    const udp = timerConfig();
    const tcp = timerConfig({ reliable: true });
    assert.equal(transactionTimeout(udp), 32_000);
    assert.equal(transactionTimeout(tcp), 32_000);
    assert.equal(timerD(udp), 32_000);
    assert.equal(timerD(tcp), 0);
    assert.equal(timerD(timerConfig({ t1: 1000, t2: 4000 })), 64_000, 'D covers 64*T1 when T1 is raised');
    assert.equal(timerD(timerConfig({ t1: 100 })), 32_000, 'D is at least 32 s');
    assert.equal(timerT4Wait(udp), 5000);
    assert.equal(timerT4Wait(tcp), 0);
    assert.equal(timerJ(udp), 32_000);
    assert.equal(timerJ(tcp), 0);
  });

  it('backs off by doubling, capped at T2', () => {
    const c = timerConfig();
    assert.deepEqual(
      [500, 1000, 2000, 4000].map((ms) => backoff(c, ms)),
      [1000, 2000, 4000, 4000],
    );
  });

  it('ignores overrides that are undefined (absent config keys)', () => {
    assert.deepEqual(timerConfig({ t1: undefined, tryingDelay: undefined, reliable: true }), {
      ...DEFAULT_TIMER_CONFIG,
      reliable: true,
    });
  });

  it('rejects configurations that cannot work', () => {
    for (const bad of [
      { t1: 0 },
      { t2: -1 },
      { t4: Number.NaN },
      { t1: 5000, t2: 4000 },
      { tryingDelay: -5 },
    ]) {
      assert.throws(() => timerConfig(bad), { code: 'TXN_BAD_TIMER_CONFIG' }, JSON.stringify(bad));
    }
  });
});
