/**
 * AdmissionGovernor: the adaptive admission cap (transition table: windows of measured pressure,
 * i.e. signal / threshold → cap per window).
 */
import assert from 'node:assert/strict';
import { AdmissionGovernor } from '../../../../lib/sip/stack/admission-governor';

/** Offer `n` requests in the current window; how many were admitted. */
const offer = (g: AdmissionGovernor, n: number): number =>
  Array.from({ length: n }, () => g.admit()).filter(Boolean).length;

describe('AdmissionGovernor', () => {
  it('admits everything while below saturation; one saturated window alone sets no cap', () => {
    const g = new AdmissionGovernor();
    for (const p of [0.5, 0.99, 1.5, 0.3]) {
      assert.equal(offer(g, 100), 100);
      g.window(p);
    }
    assert.equal(g.capPerWindow, undefined);
  });

  it('caps at 80 % of what was admitted after three saturated windows (750 ms), and keeps decreasing', () => {
    const g = new AdmissionGovernor();
    for (const p of [1, 2]) {
      offer(g, 100);
      g.window(p);
    }
    assert.equal(g.capPerWindow, undefined, 'two windows: a stall, not yet overload');
    offer(g, 100);
    g.window(3);
    assert.equal(g.capPerWindow, 80);
    assert.equal(offer(g, 100), 80, 'the excess of the window is refused');
    g.window(2.8);
    assert.equal(g.capPerWindow, 64, 'still saturated, not falling fast: cut again');
    offer(g, 100);
    g.window(1.5); // saturated but falling fast (a queue draining): hold
    assert.equal(g.capPerWindow, 64);
    offer(g, 100);
    g.window(1.4);
    assert.equal(g.capPerWindow, 51);
  });

  it('holds the cap while the caller reports the backlog draining', () => {
    const g = new AdmissionGovernor({ saturateWindows: 1 });
    offer(g, 100);
    g.window(2);
    assert.equal(g.capPerWindow, 80);
    for (let i = 0; i < 3; i++) {
      offer(g, 100);
      g.window(1.03, true); // still busy, the queue shrinking: hold
    }
    assert.equal(g.capPerWindow, 80);
    offer(g, 100);
    g.window(1.03, false);
    assert.equal(g.capPerWindow, 64, 'not draining any more: cut');
  });

  it('raises the cap in proportion to the headroom and lifts it once nothing is refused', () => {
    const g = new AdmissionGovernor({ saturateWindows: 1 });
    offer(g, 100);
    g.window(1.2);
    assert.equal(g.capPerWindow, 80);
    offer(g, 100);
    g.window(0.8); // headroom ×1.25
    assert.equal(g.capPerWindow, 101);
    offer(g, 200);
    g.window(0.1); // ×10 clamps to ×1.5
    assert.equal(g.capPerWindow, 153);
    offer(g, 200);
    g.window(0.99); // ×1.01 rises to at least ×1.05
    assert.equal(g.capPerWindow, 162);
    offer(g, 150);
    g.window(0.95); // below saturation and nothing refused: no cap
    assert.equal(g.capPerWindow, undefined);
    assert.equal(offer(g, 1000), 1000);
  });

  it('never caps below its floor per window', () => {
    const g = new AdmissionGovernor({ saturateWindows: 1, minPerWindow: 3 });
    g.window(5);
    assert.equal(g.capPerWindow, 3);
    assert.equal(offer(g, 5), 3);
    const dflt = new AdmissionGovernor({ saturateWindows: 1 });
    offer(dflt, 5);
    dflt.window(5);
    assert.equal(dflt.capPerWindow, 10, 'light traffic (under 10 per window) is never refused');
  });
});
