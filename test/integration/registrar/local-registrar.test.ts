/**
 * The local registrar with the real engine and sipp (issue 7 point 3): digest challenge and
 * authenticated REGISTER, wrong password, Expires policy for NATed UDP clients, un-REGISTER,
 * and the bindings it writes to the StateStore.
 */
import assert from 'node:assert/strict';
import type { TestSbc } from '../../support/sbc';
import { explain, last200, messages, register, startRegistrarSbc } from './registrar-fixture';

describe('local registrar (engine + sipp)', function () {
  this.timeout(60_000);
  let sbc: TestSbc | undefined;
  afterEach(async () => {
    await sbc?.stop();
    sbc = undefined;
  });

  it('challenges a REGISTER (401, digest) and accepts the authenticated one (200), writing the binding with its flow', async () => {
    sbc = await startRegistrarSbc();
    const r = await register(sbc, { expires: 600 });
    assert.equal(r.outcome, 'all-succeeded', explain(r));
    const log = messages(r);
    assert.match(
      log,
      /SIP\/2\.0 401 [\s\S]*WWW-Authenticate: Digest realm="[^"]+", nonce="[^"]+", algorithm=(MD5|SHA-256)/,
    );
    assert.match(last200(r), /Contact: <sip:alice@127\.0\.0\.1:\d+;transport=UDP>;expires=(600|599)/i);
    const bindings = await sbc.internals.state.getBindings('sip:alice@127.0.0.1');
    assert.equal(bindings.length, 1);
    const b = bindings[0]!;
    assert.equal(b.flow.transport, 'udp');
    assert.equal(b.flow.sourceAddress, '127.0.0.1');
    assert.match(b.contact, /^sip:alice@127\.0\.0\.1:(\d+)/);
    assert.equal(String(b.flow.sourcePort), /:(\d+);/.exec(b.contact)?.[1]);
    assert.equal(b.userAgent, 'palisade-sipp-device');
  });

  it('answers 403 to a REGISTER with the wrong password, and writes nothing', async () => {
    sbc = await startRegistrarSbc();
    const r = await register(sbc, { scenario: 'reg-uac-forbidden.xml', password: 'not-the-secret' });
    assert.equal(r.outcome, 'all-succeeded', explain(r));
    assert.deepEqual(await sbc.internals.state.getBindings('sip:alice@127.0.0.1'), []);
  });

  it('shortens Expires for a NATed-looking UDP client (private Contact) to natMax', async () => {
    sbc = await startRegistrarSbc();
    const r = await register(sbc, { expires: 600, contactHost: '192.168.1.20' });
    assert.equal(r.outcome, 'all-succeeded', explain(r));
    const expires = Number(/;expires=(\d+)/.exec(last200(r))?.[1]);
    assert.ok(expires > 0 && expires <= 45, `granted ${expires}`);
    const [b] = await sbc.internals.state.getBindings('sip:alice@127.0.0.1');
    assert.ok(b && b.expiresAt - Date.now() <= 45_000, 'the stored binding has the short expiry too');
  });

  it('answers 423 with Min-Expires to an interval below the minimum', async () => {
    sbc = await startRegistrarSbc();
    const r = await register(sbc, { scenario: 'reg-uac-forbidden.xml', expires: 5 });
    // The scenario expects 403 after the credentials: a 423 there makes it fail with that message.
    assert.match(messages(r), /SIP\/2\.0 423 [\s\S]*Min-Expires: 30/);
  });

  it('un-registers (Expires: 0) and the binding is gone', async () => {
    sbc = await startRegistrarSbc();
    const r = await register(sbc, { scenario: 'reg-uac-unregister.xml', expires: 600 });
    assert.equal(r.outcome, 'all-succeeded', explain(r));
    const log = messages(r);
    assert.match(log, /SIP\/2\.0 200[\s\S]*;expires=\d+[\s\S]*SIP\/2\.0 200/);
    assert.deepEqual(await sbc.internals.state.getBindings('sip:alice@127.0.0.1'), []);
  });
});
