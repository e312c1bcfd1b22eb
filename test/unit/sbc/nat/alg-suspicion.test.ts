import { strict as assert } from 'node:assert';
import { FakeClock } from '../../../../lib/util/clock';
import type { AlgSignal } from '../../../../lib/sbc/nat/alg-detect';
import { AlgSuspicion, DEFAULT_ALG_POLICY, assess } from '../../../../lib/sbc/nat/alg-suspicion';

const HOUR = 3_600_000;
const MINUTE = 60_000;
const finding = (signal: AlgSignal, detail = 'x') => ({ signal, detail });

describe('sbc/nat/alg-suspicion', () => {
  let clock: FakeClock;
  let client: AlgSuspicion;
  beforeEach(() => {
    clock = new FakeClock();
    client = new AlgSuspicion(clock);
  });

  it('one weak signal is not enough; a repeat is', () => {
    client.record(finding('partial-rewrite', 'Via 203.0.113.101 = source, o= 192.168.1.20'));
    assert.deepEqual(assess(client.evidence()), {
      suspected: false,
      signals: ['partial-rewrite'],
      evidence: ['partial-rewrite: Via 203.0.113.101 = source, o= 192.168.1.20'],
    });
    client.record(finding('partial-rewrite'));
    assert.equal(client.evidence().score, 1);
    assert.equal(assess(client.evidence()).suspected, true);
  });

  it('tampering or an altered signature is enough alone', () => {
    for (const signal of ['via-params-tampered', 'signed-param-altered'] as const) {
      const one = new AlgSuspicion(clock);
      one.record(finding(signal));
      assert.equal(assess(one.evidence()).suspected, true, signal);
    }
  });

  it('two different weak signals together are suspected, listed in fixed order', () => {
    client.record(finding('media-port-mismatch'));
    client.record(finding('contact-sdp-mismatch'));
    assert.deepEqual(assess(client.evidence()).signals, ['contact-sdp-mismatch', 'media-port-mismatch']);
    assert.equal(assess(client.evidence()).suspected, true);
  });

  it('decays by half per half-life on the injected clock and drops out of the list', () => {
    client.record(finding('via-params-tampered'));
    client.record(finding('via-params-tampered'));
    clock.advance(HOUR);
    assert.equal(client.evidence().counters['via-params-tampered'], 1);
    assert.equal(assess(client.evidence()).suspected, true);
    clock.advance(HOUR);
    assert.equal(client.evidence().score, 0.5);
    assert.deepEqual(assess(client.evidence()), {
      suspected: false,
      signals: ['via-params-tampered'],
      evidence: ['via-params-tampered: x', 'via-params-tampered: x'],
    });
    clock.advance(HOUR);
    assert.deepEqual(assess(client.evidence()).signals, []);
    assert.equal(client.quiet(), false);
    clock.advance(3 * HOUR);
    assert.equal(client.quiet(), true);
  });

  it('decay is the same whether or not it is observed in between', () => {
    const other = new AlgSuspicion(clock);
    client.record(finding('partial-rewrite'));
    other.record(finding('partial-rewrite'));
    for (let i = 0; i < 10; i++) {
      clock.advance(HOUR / 10);
      client.evidence();
    }
    assert.ok(Math.abs(client.evidence().score - other.evidence().score) < 1e-12);
  });

  it('counters saturate, so a burst does not keep a client suspected for days', () => {
    for (let i = 0; i < 50; i++) client.record(finding('signed-param-altered'));
    assert.equal(client.evidence().counters['signed-param-altered'], 10);
    clock.advance(4 * HOUR); // 10 / 16 < 1
    assert.equal(assess(client.evidence()).suspected, false);
  });

  it('keeps the last 8 evidence lines, newest last, each at most 160 characters', () => {
    for (let i = 0; i < 12; i++) client.record(finding('partial-rewrite', `n${i}`));
    client.record(finding('partial-rewrite', 'y'.repeat(500)));
    const lines = client.evidence().evidence;
    assert.equal(lines.length, 8);
    assert.equal(lines[0], 'partial-rewrite: n5');
    assert.equal(lines[7]?.length, 160);
  });

  describe('(f) registration instability', () => {
    it('fires after 3 source-port changes within 10 minutes, then counts afresh', () => {
      const fired = [5060, 40001, 40002, 40003, 40004, 40005, 40006].map((port) => {
        clock.advance(MINUTE);
        return client.noteRegistration(port)?.signal;
      });
      assert.deepEqual(fired, [
        undefined,
        undefined,
        undefined,
        'registration-unstable',
        undefined,
        undefined,
        'registration-unstable',
      ]);
      // Fired at minutes 4 and 7: the first has decayed for 3 minutes of a 60-minute half-life.
      const count = client.evidence().counters['registration-unstable'];
      assert.ok(Math.abs(count - (1 + 0.5 ** (3 / 60))) < 1e-9, String(count));
      assert.match(
        client.evidence().evidence[0] ?? '',
        /changed 3× within 10 min \(5060, 40001, 40002, 40003\)/,
      );
    });

    it('a stable port never fires', () => {
      for (let i = 0; i < 20; i++) {
        clock.advance(30_000);
        assert.equal(client.noteRegistration(5060), undefined);
      }
    });

    it('changes spread wider than the window do not fire', () => {
      for (const port of [1000, 2000, 3000, 4000, 5000]) {
        assert.equal(client.noteRegistration(port), undefined, String(port));
        clock.advance(4 * MINUTE);
      }
      assert.equal(client.evidence().score, 0);
    });

    it('a flapping client keeps the owner from dropping it', () => {
      client.noteRegistration(5060);
      assert.equal(client.quiet(), false);
      clock.advance(DEFAULT_ALG_POLICY.registrationWindowMs + 1);
      assert.equal(client.quiet(), true);
    });
  });

  it('assess is pure over any snapshot and honours a custom policy', () => {
    const evidence = {
      counters: {
        'partial-rewrite': 0,
        'contact-sdp-mismatch': 0,
        'via-params-tampered': 0,
        'signed-param-altered': 0,
        'media-port-mismatch': 0.6,
        'registration-unstable': 0,
        'identity-private': 0,
      },
      score: 0,
      evidence: ['media-port-mismatch: RTP from port 61234'],
    };
    assert.equal(assess(evidence).suspected, false);
    assert.equal(assess(evidence, { ...DEFAULT_ALG_POLICY, threshold: 0.3 }).suspected, true);
    assert.deepEqual(assess(evidence, { ...DEFAULT_ALG_POLICY, minCount: 0.7 }).signals, []);
  });

  it('two findings of one request count together although the counters decay between them', () => {
    client.record(finding('partial-rewrite'));
    clock.advance(5);
    client.record(finding('contact-sdp-mismatch'));
    assert.ok(client.evidence().score < 1);
    assert.equal(assess(client.evidence()).suspected, true);
  });
});
