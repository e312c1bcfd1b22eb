/**
 * Digest brute-force limit with the real engine and sipp (issue 7, security): wrong passwords
 * from one source reach `registrar.authLimits.maxFailuresPerSource`, the source is banned in the
 * StateStore, and then even the right password from it is answered 403 — while a REGISTER from
 * another source address (127.0.0.3) still registers.
 */
import assert from 'node:assert/strict';
import { runSipp } from '../../support/sipp';
import type { TestSbc } from '../../support/sbc';
import { LOCAL_REGISTRAR, explain, messages, register, startRegistrarSbc } from './registrar-fixture';

const GUARDED = `${LOCAL_REGISTRAR}\n  authLimits: { maxFailuresPerSource: 2, windowSeconds: 60, banSeconds: 120 }`;

describe('registrar brute-force limit (engine + sipp)', function () {
  this.timeout(90_000);
  let sbc: TestSbc | undefined;
  afterEach(async () => {
    await sbc?.stop();
    sbc = undefined;
  });

  it('bans a source after repeated wrong passwords; its right password is refused, others still register', async () => {
    sbc = await startRegistrarSbc({ registrar: GUARDED });
    for (let i = 0; i < 2; i++) {
      const wrong = await register(sbc, { scenario: 'reg-uac-forbidden.xml', password: `guess-${i}` });
      assert.equal(wrong.outcome, 'all-succeeded', explain(wrong));
      assert.match(messages(wrong), /SIP\/2\.0 403 Wrong Credentials/);
    }
    assert.equal(await sbc.internals.state.isBanned('127.0.0.1'), true);
    const [ban] = await sbc.internals.state.listBans();
    assert.equal(ban?.reason, 'digest authentication failures');

    // The right password from the banned source: 401, then 403 (the forbidden scenario expects that).
    const refused = await register(sbc, { scenario: 'reg-uac-forbidden.xml' });
    assert.equal(refused.outcome, 'all-succeeded', explain(refused));
    assert.match(messages(refused), /SIP\/2\.0 403 Forbidden/);
    assert.deepEqual(await sbc.internals.state.getBindings('sip:alice@127.0.0.1'), []);

    const elsewhere = await runSipp({
      scenario: 'reg-uac.xml',
      remote: { host: '127.0.0.1', port: sbc.sipPort },
      localIp: '127.0.0.3',
      calls: 1,
      service: 'alice',
      transport: 'u1',
      keys: { expires: '600', contact_host: '127.0.0.3' },
      extraArgs: ['-au', 'alice', '-ap', 'alice-secret'],
      timeoutMs: 15_000,
      traceMessages: true,
    });
    assert.equal(elsewhere.outcome, 'all-succeeded', explain(elsewhere));
    const bindings = await sbc.internals.state.getBindings('sip:alice@127.0.0.1');
    assert.deepEqual(
      bindings.map((b) => b.flow.sourceAddress),
      ['127.0.0.3'],
    );
  });
});
