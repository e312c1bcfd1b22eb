/**
 * `engine.overload` reaches the engine `palisade start` builds: with a cap on new requests per
 * second, a burst of REGISTERs beyond it is answered early with a stateless 503 + Retry-After
 * (RFC 3261 §21.5.4) while OPTIONS keepalives are still answered.
 */
import assert from 'node:assert/strict';
import { startTestSbc } from '../../support/sbc';
import { header, sendSipRequest } from '../../support/udp-sip-client';
import { waitReady } from './sbc-fixture';

describe('SBC overload settings', function () {
  this.timeout(30_000);

  it('answers a REGISTER burst beyond engine.overload.maxNewRequestsPerSecond with 503 + Retry-After', async () => {
    const sbc = await startTestSbc({
      carrierPort: 9,
      engineYaml: 'overload: { maxEventLoopDelayMs: 0, maxNewRequestsPerSecond: 5, retryAfterSeconds: 7 }',
    });
    try {
      await waitReady(sbc);
      const finals = await Promise.all(
        Array.from({ length: 30 }, (_, i) => sendSipRequest(sbc.sipPort, 'REGISTER', { user: `u${i}` })),
      );
      const last = finals.map((responses) => responses[responses.length - 1]);
      const shed = last.filter((r) => r?.status === 503);
      const admitted = last.length - shed.length;
      assert.ok(shed.length >= 20, `only ${shed.length} of 30 REGISTERs were shed`);
      assert.ok(admitted >= 1 && admitted <= 10, `${admitted} REGISTERs were admitted (cap 5/s)`);
      for (const r of shed) assert.equal(r && header(r, 'Retry-After'), '7', r?.text);
      const options = await sendSipRequest(sbc.sipPort, 'OPTIONS');
      assert.equal(options[options.length - 1]?.status, 200, 'OPTIONS is never shed');
    } finally {
      await sbc.stop();
    }
  });
});
