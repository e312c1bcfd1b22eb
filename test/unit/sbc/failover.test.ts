import { strict as assert } from 'node:assert';
import { type AttemptOutcome, finalResponse, shouldFailover } from '../../../lib/sbc/routing/failover';

describe('sbc/routing/failover shouldFailover', () => {
  const defaults: [AttemptOutcome, boolean][] = [
    [408, true],
    ['timeout', true],
    ['transport-error', true],
    [500, true],
    [503, true],
    [599, true],
    [300, false],
    [302, false],
    [401, false],
    [404, false],
    [486, false],
    [487, false],
    [600, false],
    [603, false],
    [180, false],
    [200, false],
  ];
  for (const [outcome, expected] of defaults) {
    it(`default failoverOn: ${outcome} → ${expected}`, () => {
      assert.equal(shouldFailover(outcome), expected);
    });
  }

  const configured: [AttemptOutcome, readonly (number | string)[], boolean][] = [
    [486, [486], true],
    [404, ['400-499'], true],
    [603, ['600-699'], false], // 6xx never, whatever is configured
    [600, [600], false],
    [503, [408], false],
    ['timeout', [503], false], // timeouts count as 408
    ['timeout', ['400-410'], true],
    ['transport-error', [], true], // nothing reached the gateway
    [302, ['300-399'], true],
  ];
  for (const [outcome, failoverOn, expected] of configured) {
    it(`failoverOn ${JSON.stringify(failoverOn)}: ${outcome} → ${expected}`, () => {
      assert.equal(shouldFailover(outcome, failoverOn), expected);
    });
  }
});

describe('sbc/routing/failover finalResponse', () => {
  const cases: [AttemptOutcome[], number, boolean][] = [
    [[], 503, false],
    [[503], 503, false],
    [[500], 503, false], // gateway 5xx details hidden
    [[502, 'transport-error'], 503, false],
    [['transport-error'], 503, false],
    [['timeout'], 480, false],
    [[408, 'timeout'], 480, false],
    [['timeout', 500], 503, false],
    [[503, 486], 486, true],
    [[486, 404], 486, true], // first 4xx received
    [[408, 404], 404, true], // 408 is not preferred
    [[503, 302], 302, true],
    [[404, 302], 404, true],
    [[486, 603, 500], 603, true], // 6xx first
  ];
  for (const [outcomes, status, relayed] of cases) {
    it(`${JSON.stringify(outcomes)} → ${status}`, () => {
      const response = finalResponse(outcomes);
      assert.equal(response.status, status);
      assert.equal(response.relayed, relayed);
      assert.ok(response.reason.length > 0);
    });
  }
});
